"""Short English labels shared with other apps carry a context so translators can tell them apart."""

from pathlib import Path

from spilka.funds.models import ExpenseStatus, TransactionKind

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "funds"


def test_the_grant_entry_kind_is_not_the_grant_of_a_role():
    assert TransactionKind.GRANT.label._args == ("ledger entry", "Grant")


def test_claim_statuses_have_the_expense_claim_context():
    for status in ExpenseStatus:
        assert status.label._args[0] == "expense claim"


def test_short_template_labels_carry_a_context():
    expense = (TEMPLATES / "expense.html").read_text()
    assert '{% translate "claimed by" context "expense" %}' in expense
    chart = (TEMPLATES / "_chart.html").read_text()
    assert '{% translate "in" %}' not in chart and '{% translate "out" %}' not in chart
    for name in ("rates.html", "fund.html"):
        assert '{% translate "Rate" %}' not in (TEMPLATES / name).read_text()
