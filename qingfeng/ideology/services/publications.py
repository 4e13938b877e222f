"""三审三校 of what a position publishes (the rules are written out in ideology/models.py's docstring).

1. A draft (稿件) is sent for 初审 when it is written (待初审); the position must be 运行中.
2. 初审 → 复审 → 终审, each by someone the level allows (may_review), with an opinion; three different people,
   none of them the author. A return (退回修改) at any level goes back to the author.
3. The author corrects a returned draft and sends it again: a new round, in which every 审 and 校 is done again.
4. 三校 (文字/政治/事实校对) are recorded once each per round, before publication.
5. 发布 needs the three 审 and the three 校 of the round; then nothing on the piece changes any more."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qingfeng.core import audit, notify
from qingfeng.core.errors import UserError
from qingfeng.ideology.models import Position, Proof, Publication, Review
from qingfeng.org import access
from qingfeng.org.models import User
from qingfeng.org.roles import Role
from qingfeng.supervision.services._common import account_of, clerks_of, heads_of

EDIT = "ideology.edit"
Level = Review.Level
Status = Publication.Status
# The permission code of each level (org/roles.py) and the status a draft has while it waits for it.
LEVEL_PERM = {Level.FIRST: "ideology.edit", Level.SECOND: "ideology.review", Level.FINAL: "ideology.approve"}
LEVEL_STATUS = {Level.FIRST: Status.FIRST, Level.SECOND: Status.SECOND, Level.FINAL: Status.FINAL}
NEXT_STATUS = {Level.FIRST: Status.SECOND, Level.SECOND: Status.FINAL, Level.FINAL: Status.APPROVED}
WHO = {
    Level.FIRST: "阵地主管科室人员或阵地审核人",
    Level.SECOND: "阵地主管科室的负责人",
    Level.FINAL: "分管该科室的班子成员或党组书记",
}


def _text(title: str, body: str) -> tuple[str, str]:
    problems = []
    if not title.strip():
        problems.append("请填写标题")
    if not body.strip():
        problems.append("请填写正文")
    if problems:
        raise UserError("；".join(problems), errors=problems)
    return title.strip()[:200], body.strip()


@transaction.atomic
def publication_create(*, actor: Any, position: Position, title: str, body: str) -> Publication:
    """A draft on a position, sent for 初审 at once."""
    access.require(actor, EDIT, position.unit)
    if position.status != Position.Status.ACTIVE:
        raise UserError(f"阵地“{position.name}”{position.get_status_display()}，不能送审新稿件", field="position")
    title, body = _text(title, body)
    publication = Publication(
        unit=position.unit, position=position, title=title, body=body, author=actor, submitted_at=timezone.now()
    )
    publication.full_clean()
    publication.save()
    audit.record(
        actor=actor,
        action="ideology_publication.create",
        obj=publication,
        changes={"position": position.name, "title": title},
    )
    _notify_next(publication)
    return publication


@transaction.atomic
def publication_resubmit(*, actor: Any, publication: Publication, title: str, body: str) -> Publication:
    """The author corrects a returned draft and sends it again: round + 1, 初审 again."""
    publication = _locked(publication)
    access.require(actor, EDIT, publication.unit)
    if publication.author_id != actor.pk:
        raise UserError("只有撰稿人可以修改退回的稿件并重新送审")
    if publication.status != Status.RETURNED:
        raise UserError(f"稿件{publication.get_status_display()}，只有退回修改的稿件可以修改后重新送审")
    if publication.position.status != Position.Status.ACTIVE:
        raise UserError(f"阵地“{publication.position.name}”{publication.position.get_status_display()}，不能重新送审")
    title, body = _text(title, body)
    before = {"title": publication.title, "round": publication.round, "status": publication.status}
    publication.title, publication.body = title, body
    publication.round += 1
    publication.status, publication.submitted_at = Status.FIRST, timezone.now()
    publication.save(update_fields=["title", "body", "round", "status", "submitted_at", "updated_at"])
    after = {"title": publication.title, "round": publication.round, "status": publication.status}
    audit.record(
        actor=actor, action="ideology_publication.resubmit", obj=publication, changes=audit.diff(before, after)
    )
    _notify_next(publication)
    return publication


def _locked(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update(of=("self",))
        .select_related("unit", "position", "position__department", "author")
        .get(pk=publication.pk)
    )


def relation_problem(user: Any, publication: Publication, level: int) -> str | None:
    """Why this user may not review the draft at this level by their relation to it (None: they may). The
    permission code of the level is checked apart (LEVEL_PERM)."""
    position, unit = publication.position, publication.unit
    person = getattr(user, "person", None)
    if person is None:
        return f"{Level(level).label}须由{WHO[Level(level)]}进行"
    if level == Level.FIRST:
        ok = person.department_id == position.department_id or person.pk == position.reviewer_id
    elif level == Level.SECOND:
        ok = access.holds(user, Role.HEAD, unit) and person.department_id == position.department_id
    else:
        ok = access.holds(user, Role.SECRETARY, unit) or (
            access.holds(user, Role.LEADER, unit)
            and person.supervised_departments.filter(pk=position.department_id).exists()
        )
    return None if ok else f"{Level(level).label}须由{WHO[Level(level)]}进行"


def current_level(publication: Publication) -> int | None:
    """The level the draft waits for (None: none)."""
    return next((lv for lv, st in LEVEL_STATUS.items() if st == publication.status), None)


def may_review(user: Any, publication: Publication) -> bool:
    """Whether the user may review the draft at the level it waits for (for showing the form)."""
    level = current_level(publication)
    if level is None or not access.can(user, LEVEL_PERM[Level(level)], publication.unit):
        return False
    if publication.author_id == user.pk or relation_problem(user, publication, level):
        return False
    return not _approved_elsewhere(user, publication, level)


def _approved_elsewhere(user: Any, publication: Publication, level: int) -> Review | None:
    return (
        Review.objects.filter(
            publication=publication, round=publication.round, decision=Review.Decision.APPROVE, reviewer=user
        )
        .exclude(level=level)
        .first()
    )


@transaction.atomic
def publication_review(*, actor: Any, publication: Publication, level: int, decision: str, opinion: str) -> Review:
    """初审, 复审 or 终审 of the current round: 通过 moves it to the next level (after 终审: 已审定), 退回修改 returns it
    to the author. Refused: the wrong level for its status, the author, someone the level does not allow, and
    anyone who already approved another level of this round (three different people)."""
    if level not in Level.values:
        raise UserError("审核层级无效")
    level = Level(level)
    if not access.can(actor, LEVEL_PERM[level], publication.unit):
        raise PermissionDenied(LEVEL_PERM[level])
    publication = _locked(publication)
    if publication.status != LEVEL_STATUS[level]:
        raise UserError(f"稿件当前为“{publication.get_status_display()}”，不能进行{level.label}")
    if decision not in Review.Decision.values:
        raise UserError("请选择审核结论（通过或退回修改）", field="decision")
    if not opinion.strip():
        raise UserError(f"请填写{level.label}意见", field="opinion")
    if publication.author_id == actor.pk:
        raise UserError(f"撰稿人不能审核本人的稿件，{level.label}须由{WHO[level]}进行")
    problem = relation_problem(actor, publication, level)
    if problem:
        raise UserError(problem)
    earlier = _approved_elsewhere(actor, publication, level)
    if earlier is not None:
        raise UserError(
            f"同一人不能审核两个层级：您已于{timezone.localtime(earlier.reviewed_at):%Y年%m月%d日 %H:%M}"
            f"完成本稿件的{earlier.get_level_display()}，{level.label}须由另一人进行"
        )
    review = Review.objects.create(
        publication=publication,
        round=publication.round,
        level=level,
        reviewer=actor,
        decision=decision,
        opinion=opinion.strip(),
        reviewed_at=timezone.now(),
    )
    before = publication.status
    publication.status = NEXT_STATUS[level] if decision == Review.Decision.APPROVE else Status.RETURNED
    publication.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        action="ideology_publication.review",
        obj=publication,
        changes={
            "level": level.label,
            "decision": decision,
            "opinion": review.opinion[:200],
            "round": publication.round,
            "status": [before, publication.status],
        },
    )
    if decision == Review.Decision.REJECT:
        _send(
            [publication.author],
            f"稿件退回修改：{publication.title}",
            f"{level.label}意见：{review.opinion}",
            publication,
        )
    else:
        _notify_next(publication)
    return review


def missing_proofs(publication: Publication) -> list[str]:
    done = set(Proof.objects.filter(publication=publication, round=publication.round).values_list("kind", flat=True))
    return [label for value, label in Proof.Kind.choices if value not in done]


@transaction.atomic
def publication_proof(*, actor: Any, publication: Publication, kind: str, note: str) -> Proof:
    """One of the 三校 of the current round (who, when, the note); each kind once per round."""
    access.require(actor, EDIT, publication.unit)
    publication = _locked(publication)
    if publication.status == Status.PUBLISHED:
        raise UserError("稿件已发布，不能再登记校对")
    if publication.status == Status.RETURNED:
        raise UserError("稿件已退回修改，请在重新送审后校对")
    if kind not in Proof.Kind.values:
        raise UserError("请选择校对类别（文字校对、政治校对或事实校对）", field="kind")
    if not note.strip():
        raise UserError("请填写校对说明", field="note")
    done = Proof.objects.filter(publication=publication, round=publication.round, kind=kind).first()
    if done is not None:
        raise UserError(
            f"本轮{done.get_kind_display()}已由{done.proofreader}于"
            f"{timezone.localtime(done.proofed_at):%Y年%m月%d日 %H:%M}完成"
        )
    proof = Proof.objects.create(
        publication=publication,
        round=publication.round,
        kind=kind,
        proofreader=actor,
        note=note.strip(),
        proofed_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="ideology_publication.proof",
        obj=publication,
        changes={"kind": proof.get_kind_display(), "note": proof.note[:200], "round": publication.round},
    )
    return proof


def may_publish(user: Any, publication: Publication) -> bool:
    person = getattr(user, "person", None)
    return (
        publication.author_id == user.pk
        or (person is not None and person.pk == publication.position.responsible_person_id)
        or access.can(user, "ideology.manage", publication.unit)
    )


@transaction.atomic
def publication_publish(*, actor: Any, publication: Publication, link: str = "") -> Publication:
    """发布: marked published once the round's three 审 and three 校 are done."""
    access.require(actor, EDIT, publication.unit)
    publication = _locked(publication)
    if publication.status == Status.PUBLISHED:
        raise UserError("稿件已发布")
    if not may_publish(actor, publication):
        raise UserError("只有撰稿人、阵地责任人或办公室可以发布")
    problems = []
    if publication.status != Status.APPROVED:
        problems.append(f"稿件尚未完成三审（当前：{publication.get_status_display()}）")
    missing = missing_proofs(publication)
    if missing:
        problems.append(f"尚未完成三校：缺{'、'.join(missing)}")
    if problems:
        raise UserError("不能发布：" + "；".join(problems), errors=problems)
    publication.status, publication.published_at, publication.published_by = Status.PUBLISHED, timezone.now(), actor
    publication.published_link = link.strip()[:300]
    publication.save(update_fields=["status", "published_at", "published_by", "published_link", "updated_at"])
    audit.record(
        actor=actor,
        action="ideology_publication.publish",
        obj=publication,
        changes={
            "status": [Status.APPROVED, Status.PUBLISHED],
            "round": publication.round,
            "link": publication.published_link,
        },
    )
    return publication


# --- notices ------------------------------------------------------------------------------------------------


def _send(recipients: list[Any], title: str, body: str, publication: Publication) -> None:
    people = [u for u in recipients if u is not None]
    if people:
        notify.send(
            recipients=people,
            title=title,
            body=body,
            link=reverse("ideology:publication_detail", args=[publication.pk]),
        )


def _notify_next(publication: Publication) -> None:
    """Tell whoever acts next: the 审核人 (初审), the department's head (复审), the 分管 leader (终审), the author
    (三审 done: 三校 and 发布)."""
    position = publication.position
    status = publication.status
    if status == Status.FIRST:
        who = [account_of(position.reviewer)]
        title = f"待初审稿件：{publication.title}"
    elif status == Status.SECOND:
        who = list(heads_of(position.department))
        title = f"待复审稿件：{publication.title}"
    elif status == Status.FINAL:
        who = list(
            User.objects.filter(
                is_active=True,
                person__supervised_departments=position.department_id,
                person__is_leadership=True,
            )
        )
        title = f"待终审稿件：{publication.title}"
    elif status == Status.APPROVED:
        who = [publication.author]
        title = f"稿件已审定，请完成三校后发布：{publication.title}"
    else:
        return
    if not [u for u in who if u is not None] and status != Status.APPROVED:
        who = clerks_of(publication.unit)  # nobody of that level has an account yet: the office sees to it
    _send(who, title, f"阵地：{position.name}", publication)
