"""City-scale generated data for the benchmark (`qingfeng scale-data`): a unit tree, departments, people and
their accounts, five years of tasks with their parts and progress reports, 巡察 rounds with findings and measures,
and an audit chain, written with bulk inserts and deterministic for a given seed and anchor day.

Never used by the application itself; the bench (`make bench`) runs it in a throwaway database."""
