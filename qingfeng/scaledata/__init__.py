"""City-scale generated data for the benchmark (`qingfeng scale-data`): a unit tree, departments, people and
their accounts, five years of tasks with their parts and progress reports, 巡察 rounds with findings and measures,
the 两个责任 and 廉政建设 records (duties.py: responsibility lists whose dated items are tasks, 责任书, talks,
述责述廉, 廉政档案 filings, the encrypted 四种形态 ledger, risk points and checks, the city's 纪委 account) and an
audit chain, written with bulk inserts and deterministic for a given seed and anchor day.

Never used by the application itself; the bench (`make bench`) runs it in a throwaway database."""
