"""POST data for the contract form page: the contract, its options and its shares."""


def contract_post(
    *,
    reference="KCC-PH-0123",
    title="Young people's drug and alcohol service",
    provider="",
    lead_authority="Kent County Council",
    start_date="01/02/2025",
    initial_end_date="31/01/2027",
    annual_value="£803,671.80",
    annual_uplift_percent="1",
    uplift_from_year="2",
    stated_whole_life_value="",
    options=(),
    shares=(),
    version="",
    reason="",
    existing_options=(),
    existing_shares=(),
    **extra,
) -> dict:
    """``options``: (months, price, notice) for new options; ``existing_options``:
    (id, months, price, notice, delete) for saved ones. Shares likewise with
    (authority, percentage, amount)."""
    data = {
        "reference": reference,
        "title": title,
        "description": "",
        "service_area": "drug_alcohol",
        "provider": provider,
        "subcontractor_names": "",
        "lead_authority": lead_authority,
        "lot": "",
        "procurement_route": "psr_competitive",
        "procurement_stage": "awarded",
        "start_date": start_date,
        "initial_end_date": initial_end_date,
        "terminated_on": "",
        "annual_value": annual_value,
        "annual_uplift_percent": annual_uplift_percent,
        "uplift_from_year": uplift_from_year,
        "stated_whole_life_value": stated_whole_life_value,
        "notes": "",
        "reason": reason,
        "version": version,
    }
    rows = [(str(i), m, p, n, d) for i, m, p, n, d in existing_options] + [
        ("", m, p, n, False) for m, p, n in options
    ]
    data["options-TOTAL_FORMS"] = str(len(rows))
    data["options-INITIAL_FORMS"] = str(len(existing_options))
    for index, (pk, months, price, notice, delete) in enumerate(rows):
        data[f"options-{index}-id"] = pk
        data[f"options-{index}-months"] = str(months)
        data[f"options-{index}-price"] = price or ""
        data[f"options-{index}-notice_deadline"] = notice or ""
        if delete:
            data[f"options-{index}-DELETE"] = "on"
    share_rows = [(str(i), a, p, m) for i, a, p, m in existing_shares] + [
        ("", a, p, m) for a, p, m in shares
    ]
    data["shares-TOTAL_FORMS"] = str(len(share_rows))
    data["shares-INITIAL_FORMS"] = str(len(existing_shares))
    for index, (pk, authority, percentage, amount) in enumerate(share_rows):
        data[f"shares-{index}-id"] = pk
        data[f"shares-{index}-authority"] = authority
        data[f"shares-{index}-percentage"] = percentage or ""
        data[f"shares-{index}-fixed_amount"] = amount or ""
    data.update(extra)
    return data
