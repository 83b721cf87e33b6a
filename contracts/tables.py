import django_tables2 as tables

from contracts.models import Authority, Provider


class AuthorityTable(tables.Table):
    name = tables.Column(linkify=True)
    key_decision_threshold = tables.Column(verbose_name="Key decision threshold (£)")

    class Meta:
        model = Authority
        fields = (
            "name",
            "short_name",
            "key_decision_threshold",
            "call_in_working_days",
            "decision_number_prefix",
            "nation",
        )
        attrs = {"class": "govuk-table"}

    def render_key_decision_threshold(self, value):
        return f"£{value:,.2f}"

    def value_key_decision_threshold(self, value):
        return f"{value:.2f}"


class ProviderTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Provider
        fields = (
            "name",
            "provider_type",
            "charity_number",
            "company_number",
            "postcode",
            "is_sme",
            "is_vcse",
        )
        attrs = {"class": "govuk-table"}
