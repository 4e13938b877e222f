"""研判规则: the office, the secretary and the 纪检组长 keep their unit's severity rules (a rule with the topic of a
general rule replaces it in the unit). Every change is audited and makes the next suggestion compile the rules
again (services/severity.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from qingfeng.core import audit
from qingfeng.core.errors import UserError
from qingfeng.opinion.models import Level, SeverityRule
from qingfeng.opinion.services.severity import MAX_KEYWORD, split_keywords
from qingfeng.org import access
from qingfeng.org.models import Unit

MANAGE = "opinion.manage"
MAX_KEYWORDS = 200


@dataclass
class RuleData:
    topic: str
    level: int
    keywords: str
    active: bool = True


def _clean(data: RuleData) -> tuple[str, str]:
    topic = data.topic.strip()
    if not topic:
        raise UserError("请填写主题", field="topic")
    if data.level not in Level.values:
        raise UserError("请选择建议等级", field="level")
    words = split_keywords(data.keywords)
    if not words:
        raise UserError("请至少填写一个关键词", field="keywords")
    long = [w for w in words if len(w) > MAX_KEYWORD]
    if long:
        raise UserError(f"关键词不能超过{MAX_KEYWORD}个字：{'、'.join(long[:3])}", field="keywords")
    if len(words) > MAX_KEYWORDS:
        raise UserError(f"一条规则最多{MAX_KEYWORDS}个关键词", field="keywords")
    return topic[:50], "、".join(words)


@transaction.atomic
def rule_create(*, actor: Any, unit: Unit, data: RuleData) -> SeverityRule:
    access.require(actor, MANAGE, unit)
    topic, keywords = _clean(data)
    if SeverityRule.objects.filter(unit=unit, topic=topic).exists():
        raise UserError(f"本单位已有主题为“{topic}”的规则，请直接修改", field="topic")
    rule = SeverityRule(
        unit=unit, topic=topic, level=data.level, keywords=keywords, active=data.active, created_by=actor
    )
    rule.full_clean(exclude=["unit", "created_by"])
    rule.save()
    audit.record(
        actor=actor,
        action="opinion.rule_create",
        obj=rule,
        changes={"topic": topic, "level": data.level, "keywords": keywords, "active": data.active},
    )
    return rule


@transaction.atomic
def rule_update(*, actor: Any, rule: SeverityRule, data: RuleData) -> SeverityRule:
    if rule.unit_id is None:
        raise UserError("通用规则不能在单位中修改；请新增同一主题的本单位规则来取代它")
    access.require(actor, MANAGE, rule.unit)
    topic, keywords = _clean(data)
    if SeverityRule.objects.filter(unit_id=rule.unit_id, topic=topic).exclude(pk=rule.pk).exists():
        raise UserError(f"本单位已有主题为“{topic}”的规则", field="topic")
    before = {"topic": rule.topic, "level": rule.level, "keywords": rule.keywords, "active": rule.active}
    rule.topic, rule.level, rule.keywords, rule.active = topic, data.level, keywords, data.active
    rule.save(update_fields=["topic", "level", "keywords", "active", "updated_at"])
    after = {"topic": rule.topic, "level": rule.level, "keywords": rule.keywords, "active": rule.active}
    audit.record(actor=actor, action="opinion.rule_update", obj=rule, changes=audit.diff(before, after))
    return rule
