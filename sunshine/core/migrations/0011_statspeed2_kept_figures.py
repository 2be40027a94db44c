# core.KeptCount becomes core.Kept, keyed by (name, key), and also holds the statistics tables' summaries (which
# were stats.Summary: one table of figures kept with the time they were computed). The kept rows are only caches:
# whatever is missing is computed again by its next reader or by the statistics beat, so nothing is copied.

from django.db import migrations, models


def _drop_all_but_the_home_counts(apps, schema_editor):
    """Backwards: core.KeptCount held one row per name; the statistics summaries go back to stats.Summary (empty,
    recomputed by their next reader)."""
    apps.get_model("core", "Kept").objects.exclude(key="").delete()
    apps.get_model("core", "Kept").objects.filter(name__startswith="stats.").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0010_statspeed_kept_counts'),
    ]

    operations = [
        migrations.RenameModel(old_name='KeptCount', new_name='Kept'),
        migrations.AlterModelOptions(
            name='kept',
            options={'verbose_name': '统计汇总', 'verbose_name_plural': '统计汇总'},
        ),
        migrations.AlterField(
            model_name='kept',
            name='name',
            field=models.CharField(max_length=60),
        ),
        migrations.AddField(
            model_name='kept',
            name='key',
            field=models.CharField(blank=True, default='', max_length=120),
        ),
        migrations.RunPython(migrations.RunPython.noop, _drop_all_but_the_home_counts),
        migrations.AddConstraint(
            model_name='kept',
            constraint=models.UniqueConstraint(fields=('name', 'key'), name='core_kept_name_key'),
        ),
    ]
