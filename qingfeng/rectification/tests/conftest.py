"""The settable clock of the supervision tests serves these too (measures are supervision tasks)."""

from qingfeng.supervision.tests.factories import clock  # noqa: F401 - the `clock` fixture
