# The statistics summaries are kept in core.Kept (core 0011); stats.Summary held only caches, recomputed by their
# next reader or by the statistics beat, so its rows are not copied.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0011_statspeed2_kept_figures'),
        ('stats', '0001_i14_summary_brief'),
    ]

    operations = [
        migrations.DeleteModel(name='Summary'),
    ]
