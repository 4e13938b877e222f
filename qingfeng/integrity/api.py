from ninja import Router

router = Router(tags=["廉政风险与廉政档案"])
