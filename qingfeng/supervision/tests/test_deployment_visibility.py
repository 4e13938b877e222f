from __future__ import annotations

from qingfeng.supervision.services.deployments import deployment_confirm, deployment_create
from qingfeng.supervision.tests.factories import D, draft


def test_a_leader_who_leads_one_of_its_tasks_sees_the_deployment_but_a_head_does_not(cast, clock, login) -> None:
    deployment = deployment_create(
        actor=cast.users["clerk"],
        unit=cast.bureau,
        title="下半年工作部署",
        date=D(2023, 9, 4),
        issuing_leader=cast.users["secretary"].person,
    )
    url = f"/supervision/deployments/{deployment.pk}/"
    assert login("leader").get(url).status_code == 404  # not issued by him, no task of his yet
    deployment_confirm(actor=cast.users["clerk"], deployment=deployment, rows=[draft(cast)])  # led by 李志强
    assert login("leader").get(url).status_code == 200
    assert login("head").get(url).status_code == 404
