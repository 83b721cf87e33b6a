import django_tables2 as tables

from contracts.models import Authority, Provider

# Tables have no room for the full labels.
SHORT_TYPES = {
    Provider.Type.VCSE: "VCSE",
    Provider.Type.NHS: "NHS",
    Provider.Type.COMPANY: "Company",
    Provider.Type.LOCAL_AUTHORITY: "Local authority",
    Provider.Type.OTHER: "Other",
}


class AuthorityTable(tables.Table):
    name = tables.Column(linkify=True)
    short_name = tables.Column(verbose_name="Short name")
    key_decision_threshold = tables.Column(
        verbose_name="Key decision above", attrs={"td": {"class": "app-num"}}
    )
    call_in_working_days = tables.Column(verbose_name="Call-in (working days)")
    decision_number_prefix = tables.Column(verbose_name="Number prefix")
    nation = tables.Column(verbose_name="Bank holidays")

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
    provider_type = tables.Column(verbose_name="Type")
    is_sme = tables.BooleanColumn(verbose_name="SME", yesno="Yes,No")
    is_vcse = tables.BooleanColumn(verbose_name="VCSE", yesno="Yes,No")

    def render_provider_type(self, record):
        return SHORT_TYPES.get(record.provider_type, record.get_provider_type_display())

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
