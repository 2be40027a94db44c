import hashlib
import json
import uuid

from django.db import migrations
from django.utils import timezone

CHUNK = 5000


def _digest(template_code: str, pairs, text: str) -> str:
    # The same digest sunshine.notify.services.outbox computes for new messages.
    payload = json.dumps([template_code, pairs, text], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def forwards(apps, schema_editor):
    """Every message's text and parameters into a body; messages saying the same thing share one (protected ones
    never share: their ciphertext is theirs alone)."""
    SmsMessage = apps.get_model("notify", "SmsMessage")
    SmsBody = apps.get_model("notify", "SmsBody")
    now = timezone.now()
    known: dict[str, int] = {}
    last = 0
    while True:
        rows = list(SmsMessage.objects.filter(pk__gt=last).order_by("pk")
                    .values_list("pk", "template_code", "params", "text", "protected")[:CHUNK])
        if not rows:
            break
        last = rows[-1][0]
        for pk, template_code, params, text, protected in rows:
            digest = uuid.uuid4().hex if protected else _digest(template_code, params, text)
            body_id = known.get(digest)
            if body_id is None:
                body_id = SmsBody.objects.create(digest=digest, template_code=template_code, params=params,
                                                 text=text, protected=protected, created_at=now).pk
                if not protected:
                    known[digest] = body_id
            SmsMessage.objects.filter(pk=pk).update(body_id=body_id)


def backwards(apps, schema_editor):
    SmsMessage = apps.get_model("notify", "SmsMessage")
    SmsBody = apps.get_model("notify", "SmsBody")
    bodies = {b.pk: b for b in SmsBody.objects.all()}
    for message in SmsMessage.objects.exclude(body_id=None).iterator(chunk_size=CHUNK):
        body = bodies[message.body_id]
        SmsMessage.objects.filter(pk=message.pk).update(text=body.text, params=body.params)


class Migration(migrations.Migration):
    """Message texts move to shared bodies (data, step 2 of 3)."""

    dependencies = [
        ('notify', '0006_sms_bodies'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
