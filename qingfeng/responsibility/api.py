from ninja import Router

router = Router(tags=["两个责任"])
