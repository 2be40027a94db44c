"""Indexes for the public household self-check (三(二)3): village + head's name, and a member's name.

Database-only: the indexes serve one query in sunshine.funds.public (_household_matching) and are kept out of the
model state so the org models stay as their owner wrote them; to move them into Household.Meta.indexes /
HouseholdMember.Meta.indexes later, replace this with a state-only AddIndex of the same names.
"""
from django.db import migrations, models

HOUSEHOLD_VILLAGE_HEAD = models.Index(fields=["village", "head_name"], name="org_household_village_head")
MEMBER_NAME = models.Index(fields=["name"], name="org_member_name")


class Migration(migrations.Migration):
    dependencies = [("org", "0002_load_reference_data")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AddIndex(model_name="household", index=HOUSEHOLD_VILLAGE_HEAD),
                migrations.AddIndex(model_name="householdmember", index=MEMBER_NAME),
            ],
            state_operations=[],
        )
    ]
