"""Seeded random draws for the demo city: invented names, unique valid ID numbers, phones and dates."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from faker.providers.person.zh_CN import Provider as FakerPerson
from faker.providers.phone_number.zh_CN import Provider as FakerPhone

from sunshine.core.demo import DemoContext
from sunshine.core.validators import make_id_number

DIVISION_CODE = "430381"  # the first six digits of a 湘乡 resident's ID number

# People the work plan names (三(一)3 and the preamble): the demo never gives anyone these names.
REAL_NAMES_IN_PLAN = ("彭瑞林", "张茂丰", "谢岸烨", "赵造时", "方永红", "周杰", "肖江红")


class NameMaker:
    """Chinese names from Faker's zh_CN tables (surnames weighted by frequency), drawn from the seeded rng."""

    def __init__(self, rng):
        self.rng = rng
        self.surnames = list(FakerPerson.last_names)
        self.cum_weights = list(_running_sum(FakerPerson.last_names.values()))
        self.given = {True: list(FakerPerson.first_names_male), False: list(FakerPerson.first_names_female)}
        self.single = {male: [n for n in names if len(n) == 1] for male, names in self.given.items()}

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.cum_weights)[0]

    def name(self, *, male: bool, surname: str | None = None) -> str:
        rng = self.rng
        while True:
            given = (rng.choice(self.single[male]) + rng.choice(self.single[male]) if rng.random() < 0.45
                     else rng.choice(self.given[male]))
            name = (surname or self.surname()) + given
            if not any(real in name for real in REAL_NAMES_IN_PLAN):
                return name


class IdNumbers:
    """Unique valid ID numbers (GB 11643): a running sequence per birth date and sex (odd for men)."""

    SEQS_PER_SEX = 499

    def __init__(self):
        self.used: Counter = Counter()

    def make(self, birth: dt.date, *, male: bool) -> str:
        while True:
            k = self.used[(birth, male)]
            if k < self.SEQS_PER_SEX:
                self.used[(birth, male)] = k + 1
                return make_id_number(DIVISION_CODE, birth, 2 * k + (1 if male else 2))
            birth += dt.timedelta(days=1)


class Draw:
    """The seeded random draws the seeder needs: names, ID numbers, phones, dates."""

    def __init__(self, ctx: DemoContext):
        self.rng = ctx.rng
        self.today = ctx.today
        self.names = NameMaker(ctx.rng)
        self.ids = IdNumbers()
        self.phone_prefixes = [str(p) for p in FakerPhone.phonenumber_prefixes]

    def phone(self) -> str:
        return f"{self.rng.choice(self.phone_prefixes)}{self.rng.randrange(10 ** 8):08d}"

    def birth(self, first_year: int, last_year: int) -> dt.date:
        return dt.date(self.rng.randint(first_year, last_year), 1, 1) + dt.timedelta(days=self.rng.randrange(365))

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def person(self, born: tuple[int, int], *, male: bool | None = None) -> tuple[str, str, str, str]:
        """(name, gender, id_number, phone) of an invented adult."""
        male = self.rng.random() < 0.72 if male is None else male
        return (self.names.name(male=male), "男" if male else "女", self.ids.make(self.birth(*born), male=male),
                self.phone())



def _running_sum(values):
    total = 0.0
    for v in values:
        total += v
        yield total
