import django_filters

from contracts.models import Authority, Contract
from psr import rules
from psr.models import AwardRecord
from ui.filters import SearchFilterSet
from ui.lookup import AUTHORITIES, MAX_SELECT_OPTIONS, LookupFilter

PSR_PROCESSES = [
    (value, label) for value, label in Contract.Route.choices if rules.is_psr_route(value)
]


class AwardRecordFilter(SearchFilterSet):
    search_fields = (
        "contract__reference",
        "contract__title",
        "provider_name",
        "decision_makers",
    )
    authority = LookupFilter(
        label="Authority",
        field_name="contract__lead_authority",
        queryset=Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
    )
    process = django_filters.ChoiceFilter(
        label="Process",
        field_name="contract__procurement_route",
        choices=PSR_PROCESSES,
        empty_label="Any",
    )

    class Meta:
        model = AwardRecord
        fields = ["q", "authority", "process"]
