import datetime

import django.db.models.deletion
import django.db.models.manager
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MONTHS = {"quarterly": 3, "half_yearly": 6, "yearly": 12}


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month + 1, d)
        except ValueError:
            continue
    raise ValueError(day)


def first_review_dates(apps, schema_editor):
    """Existing points: the first review falls one cycle after their registration."""
    RiskPoint = apps.get_model("integrity", "RiskPoint")
    for point in RiskPoint._base_manager.filter(next_review_on__isnull=True).iterator(chunk_size=2000):
        start = django.utils.timezone.localtime(point.created_at).date()
        point.next_review_on = _add_months(start, MONTHS.get(point.review_cycle, 12))
        point.save(update_fields=["next_review_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("integrity", "0001_initial"),
        ("org", "0002_verbose_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="riskpoint",
            name="last_reviewed_on",
            field=models.DateField(blank=True, null=True, verbose_name="最近复核"),
        ),
        migrations.AddField(
            model_name="riskpoint",
            name="next_review_on",
            field=models.DateField(blank=True, null=True, verbose_name="下次复核"),
        ),
        migrations.AddIndex(
            model_name="riskpoint",
            index=models.Index(fields=["unit", "next_review_on"], name="integrity_risk_review_due"),
        ),
        migrations.AddField(
            model_name="riskcheck",
            name="cycle",
            field=models.CharField(
                blank=True,
                choices=[("quarterly", "每季度"), ("half_yearly", "每半年"), ("yearly", "每年")],
                default="",
                max_length=12,
                verbose_name="检查周期",
            ),
        ),
        migrations.AddField(
            model_name="riskcheck",
            name="previous",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="next_check",
                to="integrity.riskcheck",
                verbose_name="上一周期检查",
            ),
        ),
        migrations.AddField(
            model_name="riskcheck",
            name="scheduled",
            field=models.BooleanField(default=False, verbose_name="按周期开启"),
        ),
        migrations.CreateModel(
            name="RiskReview",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="创建时间"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                ("deleted_at", models.DateTimeField(blank=True, editable=False, null=True, verbose_name="删除时间")),
                ("date", models.DateField(verbose_name="复核日期")),
                ("note", models.TextField(verbose_name="复核意见")),
                ("next_review_on", models.DateField(verbose_name="下次复核")),
                (
                    "point",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reviews",
                        to="integrity.riskpoint",
                        verbose_name="风险点",
                    ),
                ),
                (
                    "reviewer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="复核人",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="org.unit",
                        verbose_name="单位",
                    ),
                ),
            ],
            options={
                "verbose_name": "风险点复核",
                "ordering": ["-date", "-id"],
            },
            managers=[
                ("objects", django.db.models.manager.Manager()),
                ("all_objects", django.db.models.manager.Manager()),
            ],
        ),
        migrations.RunPython(first_review_dates, migrations.RunPython.noop),
    ]
