"""Every write a user can cause on deployments and tasks (STYLE.md services doctrine), one module per topic:
deployments (部署与分解表确认), tasks (交办、签收、提交审核、办结/退回), progress (进展), extensions (延期),
instructions (关注、批示)."""
