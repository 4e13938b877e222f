"""舆情处置 (section 四 of the deployment speech): incidents from 发现 to 复盘, each step timed against its limit, the
severity suggested by keyword rules, 回应口径 approved before release, and monitoring exports imported."""
