"""The general severity rules (通用规则) a fresh installation starts with, so that a suggestion is made from the first
incident; a unit replaces one with a rule of the same topic (services/severity.py)."""

from django.db import migrations
from django.utils import timezone

# topic, level (1 一般, 2 较大, 3 重大, 4 特别重大), keywords
DEFAULT_RULES = [
    ("重特大伤亡事故", 4, "群死群伤、特大事故、重大伤亡、多人死亡、爆炸、特大火灾、垮塌、坍塌致死"),
    ("安全生产事故", 3, "死亡、身亡、遇难、坍塌、倒塌、火灾、中毒、触电、高坠、安全事故、塌方"),
    ("群体性事件", 3, "群体性、聚集、围堵、堵路、集体上访、冲突、打砸、罢工、静坐"),
    ("涉腐涉纪", 3, "贪污、受贿、行贿、腐败、违纪、违法、滥用职权、利益输送"),
    ("民生诉求", 2, "拖欠、欠薪、讨薪、拖欠工资、烂尾、漏水、开裂、裂缝、质量问题、维权、停工、逾期交房、断水、断电"),
    ("作风问题", 2, "不作为、乱作为、慢作为、吃拿卡要、推诿、扯皮、刁难、态度恶劣、门难进、脸难看、事难办"),
    ("一般咨询投诉", 1, "咨询、投诉、建议、反映、噪音、扰民"),
]


def create(apps, schema_editor):
    SeverityRule = apps.get_model("opinion", "SeverityRule")
    now = timezone.now()
    for topic, level, keywords in DEFAULT_RULES:
        if not SeverityRule.objects.filter(unit__isnull=True, topic=topic).exists():
            SeverityRule.objects.create(
                unit=None, topic=topic, level=level, keywords=keywords, active=True, created_at=now, updated_at=now
            )


class Migration(migrations.Migration):
    dependencies = [("opinion", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
