"""Pure domain rules for decisions: deadlines, key decisions, numbering, exemptions.

No Django here: every function takes plain values and returns plain values, so
forms, views, PDFs, exports and imports all get the same answer from one place,
and the rules are tested without a database.

Rules that a council's constitution sets (key-decision threshold, call-in period,
decision-number prefix) are arguments, never constants: they are settings per
authority. Rules that the law sets are the named constants below.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

import holidays

from ui.money import format_money

# --- Nations and their bank holidays -----------------------------------------

ENGLAND_AND_WALES = "england_and_wales"
SCOTLAND = "scotland"
NORTHERN_IRELAND = "northern_ireland"
NATIONS = (ENGLAND_AND_WALES, SCOTLAND, NORTHERN_IRELAND)

# England and Wales share one set of bank holidays (Banking and Financial Dealings
# Act 1971 Sch 1), so the English calendar stands for both.
_HOLIDAY_SUBDIVISIONS = {
    ENGLAND_AND_WALES: "ENG",
    SCOTLAND: "SCT",
    NORTHERN_IRELAND: "NIR",
}

# --- Governance: SI 2012/2089 (Executive Arrangements) -----------------------

# Reg 9: a key decision must be on the forward plan 28 clear days before.
FORWARD_PLAN_CLEAR_DAYS = 28
# Reg 10: under general exception, 5 clear days after the notice.
GENERAL_EXCEPTION_CLEAR_DAYS = 5
# Reg 8: significant effect on communities in two or more wards/divisions.
KEY_DECISION_MIN_WARDS = 2

NOTICE_ON_TIME = "on_time"
NOTICE_GENERAL_EXCEPTION = "general_exception"
NOTICE_SPECIAL_URGENCY = "special_urgency"
NOTICE_NOT_PUBLISHED = "not_published"
NOTICE_STATUSES = (
    NOTICE_ON_TIME,
    NOTICE_GENERAL_EXCEPTION,
    NOTICE_SPECIAL_URGENCY,
    NOTICE_NOT_PUBLISHED,
)

# --- Provider Selection Regime: SI 2023/1348 ---------------------------------

# Reg 12: standstill of 8 working days starting the day after the notice.
STANDSTILL_WORKING_DAYS = 8
# Reg 12: a further 5 working days after the decision on representations.
STANDSTILL_FURTHER_WORKING_DAYS = 5

# --- Decision numbers --------------------------------------------------------

DECISION_YEAR_DIGITS = 2
DECISION_SEQUENCE_DIGITS = 5
DECISION_SEQUENCE_MAX = 10**DECISION_SEQUENCE_DIGITS - 1

# A prefix starts with a letter and never ends with a digit, so that in
# "MD-24/00056" the two digits before the slash are always the year.
_PREFIX_PATTERN = r"(?:[A-Za-z](?:[A-Za-z0-9 _-]*[A-Za-z _-])?)?"
_PREFIX_RE = re.compile(_PREFIX_PATTERN)
_DECISION_NUMBER_RE = re.compile(
    rf"(?P<prefix>{_PREFIX_PATTERN})"
    rf"(?P<yy>\d{{{DECISION_YEAR_DIGITS}}})/(?P<sequence>\d{{{DECISION_SEQUENCE_DIGITS}}})"
)

# --- Schedule 12A to the Local Government Act 1972 (Part 1, England) ---------

EXEMPT_PARAGRAPHS: dict[int, str] = {
    1: "Information relating to any individual.",
    2: "Information which is likely to reveal the identity of an individual.",
    3: (
        "Information relating to the financial or business affairs of any "
        "particular person (including the authority holding that information)."
    ),
    4: (
        "Information relating to any consultations or negotiations, or "
        "contemplated consultations or negotiations, in connection with any "
        "labour relations matter arising between the authority or a Minister of "
        "the Crown and employees of, or office holders under, the authority."
    ),
    5: (
        "Information in respect of which a claim to legal professional privilege "
        "could be maintained in legal proceedings."
    ),
    6: (
        "Information which reveals that the authority proposes (a) to give under "
        "any enactment a notice under or by virtue of which requirements are "
        "imposed on a person; or (b) to make an order or direction under any "
        "enactment."
    ),
    7: (
        "Information relating to any action taken or to be taken in connection "
        "with the prevention, investigation or prosecution of crime."
    ),
}


# --- Working days -------------------------------------------------------------


def _require_date(value: object, name: str) -> None:
    # A datetime is a date subclass but never equals a date, so it would slip
    # past every bank holiday silently.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a date, not {type(value).__name__}")


def _require_nation(nation: str) -> str:
    if nation not in _HOLIDAY_SUBDIVISIONS:
        raise ValueError(f"Unknown nation {nation!r}: expected one of {', '.join(NATIONS)}")
    return _HOLIDAY_SUBDIVISIONS[nation]


@cache
def _bank_holidays(nation: str, year: int) -> frozenset[date]:
    """Bank holidays (with substitute days) for one nation and year, cached.

    Source: Banking and Financial Dealings Act 1971 Sch 1 and royal
    proclamations for one-off days, as computed offline by the ``holidays``
    package (UK, subdivision ENG / SCT / NIR).
    """
    subdivision = _require_nation(nation)
    return frozenset(holidays.country_holidays("GB", subdiv=subdivision, years=year))


def is_working_day(d: date, *, nation: str = ENGLAND_AND_WALES) -> bool:
    """Whether ``d`` is a working day: not a Saturday, Sunday or bank holiday.

    Source: "working day" as used by SI 2023/1348 reg 12 and council
    constitutions; bank holidays under the Banking and Financial Dealings Act
    1971 Sch 1 for the given nation, including substitute days and one-off
    proclamations (e.g. 19 Sep 2022, 8 May 2023).
    """
    _require_date(d, "d")
    _require_nation(nation)
    if d.weekday() >= 5:
        return False
    return d not in _bank_holidays(nation, d.year)


def working_days_after(start: date, n: int, *, nation: str = ENGLAND_AND_WALES) -> date:
    """The ``n``th working day after ``start``; ``start`` itself never counts.

    ``n == 0`` returns ``start`` unchanged, even if it is not a working day.
    Source: the counting rule of SI 2023/1348 reg 12 (the count begins the day
    after the notice, as NHS England's PSR statutory guidance confirms), used
    for every working-day period here.
    """
    _require_date(start, "start")
    _require_nation(nation)
    if n < 0:
        raise ValueError(f"n must be zero or more working days, not {n}")
    day = start
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day, nation=nation):
            counted += 1
    return day


# --- Call-in ------------------------------------------------------------------


def call_in_deadline(
    published: date, working_days: int, *, nation: str = ENGLAND_AND_WALES
) -> date:
    """The last day on which a published decision can be called in.

    ``working_days`` is the authority's call-in period from its constitution
    (3 to 5 working days after publication is usual). Source: Local Government
    Act 2000 s 9F and the authority's scrutiny procedure rules.
    """
    return working_days_after(published, working_days, nation=nation)


def takes_effect(
    published: date,
    working_days: int,
    *,
    urgent: bool,
    nation: str = ENGLAND_AND_WALES,
) -> date:
    """The date a decision may be implemented.

    The day after the call-in deadline; an urgent decision exempt from call-in
    takes effect on publication. Source: SI 2012/2089 reg 13 (publication of the
    record) and Local Government Act 2000 s 9F with the authority's call-in
    rules.
    """
    if urgent:
        _require_date(published, "published")
        return published
    deadline = call_in_deadline(published, working_days, nation=nation)
    return deadline + timedelta(days=1)


# --- Provider Selection Regime standstill ------------------------------------


def standstill_end(
    notice: date,
    further_decision: date | None = None,
    *,
    nation: str = ENGLAND_AND_WALES,
) -> date:
    """The last day of the standstill period; the contract may be awarded after it.

    8 working days starting the day after the intention-to-award notice. When
    representations lead to a further decision, the later of that end and 5
    working days after the further decision. Source: SI 2023/1348 reg 12.
    """
    end = working_days_after(notice, STANDSTILL_WORKING_DAYS, nation=nation)
    if further_decision is None:
        return end
    _require_date(further_decision, "further_decision")
    if further_decision < notice:
        raise ValueError(
            f"The further decision ({further_decision}) cannot come before the notice ({notice})"
        )
    further_end = working_days_after(
        further_decision, STANDSTILL_FURTHER_WORKING_DAYS, nation=nation
    )
    return max(end, further_end)


# --- Forward plan and notice ---------------------------------------------------


def _clear_days_before(decision_date: date, clear_days: int) -> date:
    # Clear days exclude both the day of publication and the day of decision,
    # hence the extra day.
    _require_date(decision_date, "decision_date")
    return decision_date - timedelta(days=clear_days + 1)


def forward_plan_deadline(decision_date: date) -> date:
    """The latest date a key decision may first appear on the forward plan.

    28 clear days, excluding the day of publication and the day of decision,
    so ``decision_date`` minus 29 days. Source: SI 2012/2089 reg 9.
    """
    return _clear_days_before(decision_date, FORWARD_PLAN_CLEAR_DAYS)


def general_exception_deadline(decision_date: date) -> date:
    """The latest date for a general exception notice before a key decision.

    5 clear days, so ``decision_date`` minus 6 days. Source: SI 2012/2089
    reg 10.
    """
    return _clear_days_before(decision_date, GENERAL_EXCEPTION_CLEAR_DAYS)


def notice_status(first_published: date | None, decision_date: date) -> str:
    """How a key decision was notified, from when it first appeared in public.

    One of ``NOTICE_ON_TIME`` (forward plan, reg 9), ``NOTICE_GENERAL_EXCEPTION``
    (needs a reg 10 notice to the scrutiny chair), ``NOTICE_SPECIAL_URGENCY``
    (needs reg 11 agreement) or ``NOTICE_NOT_PUBLISHED``. Source: SI 2012/2089
    regs 9, 10 and 11.
    """
    _require_date(decision_date, "decision_date")
    if first_published is None:
        return NOTICE_NOT_PUBLISHED
    _require_date(first_published, "first_published")
    if first_published <= forward_plan_deadline(decision_date):
        return NOTICE_ON_TIME
    if first_published <= general_exception_deadline(decision_date):
        return NOTICE_GENERAL_EXCEPTION
    return NOTICE_SPECIAL_URGENCY


# --- Key decisions -------------------------------------------------------------


def _pounds(amount: Decimal) -> str:
    return format_money(amount)


def _require_money(value: object, name: str) -> Decimal:
    # Whole pounds as int are exact; a float never is, so it is refused.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} cannot be negative: {value}")
    return Decimal(value)


def key_decision_reasons(
    *,
    amount: Decimal | int | None,
    threshold: Decimal | int,
    wards_affected: int | None,
    all_wards: bool = False,
    savings: bool = False,
) -> list[str]:
    """Why a decision is a key decision; an empty list means it is not one.

    A key decision is one likely to result in expenditure or savings above the
    authority's threshold (strictly above: Kent's is "more than £1m"), or to
    have a significant effect on communities in two or more electoral
    divisions. ``amount`` is the expenditure, or the savings when ``savings``
    is true; ``wards_affected`` counts the divisions significantly affected.
    Source: SI 2012/2089 reg 8.
    """
    threshold = _require_money(threshold, "threshold")
    reasons = []
    if amount is not None:
        amount = _require_money(amount, "amount")
        if amount > threshold:
            what = "Savings" if savings else "Expenditure"
            verb = "are" if savings else "is"
            reasons.append(
                f"{what} of {_pounds(amount)} {verb} above the {_pounds(threshold)} threshold"
            )
    if wards_affected is not None and wards_affected < 0:
        raise ValueError(f"wards_affected cannot be negative: {wards_affected}")
    if all_wards:
        reasons.append("Significant effect on communities in all electoral divisions")
    elif wards_affected is not None and wards_affected >= KEY_DECISION_MIN_WARDS:
        reasons.append(f"Significant effect on communities in {wards_affected} electoral divisions")
    return reasons


def is_key_decision(
    *,
    amount: Decimal | int | None,
    threshold: Decimal | int,
    wards_affected: int | None,
    all_wards: bool = False,
    savings: bool = False,
) -> bool:
    """Whether a decision is a key decision. Source: SI 2012/2089 reg 8."""
    return bool(
        key_decision_reasons(
            amount=amount,
            threshold=threshold,
            wards_affected=wards_affected,
            all_wards=all_wards,
            savings=savings,
        )
    )


# --- Decision numbers -----------------------------------------------------------


def format_decision_number(year: int, sequence: int, prefix: str = "") -> str:
    """A decision number such as ``24/00056`` or, with a prefix, ``MD-24/00056``.

    ``year`` is the four-digit calendar year, printed as two digits; the
    sequence is zero-padded to five digits. The prefix is the authority's own
    and is joined as given. Source: the authority's own numbering scheme, not
    statute (Kent's record of decision: "24/00056").
    """
    if not 1000 <= year <= 9999:
        raise ValueError(f"year must be a four-digit year such as 2024, not {year}")
    if not 1 <= sequence <= DECISION_SEQUENCE_MAX:
        raise ValueError(f"sequence must be between 1 and {DECISION_SEQUENCE_MAX}, not {sequence}")
    if not _PREFIX_RE.fullmatch(prefix):
        raise ValueError(
            f"prefix {prefix!r} must start with a letter, use only letters, digits, "
            "spaces, '-' or '_', and not end with a digit"
        )
    yy = year % 100
    return f"{prefix}{yy:0{DECISION_YEAR_DIGITS}d}/{sequence:0{DECISION_SEQUENCE_DIGITS}d}"


def decision_number_prefix(text: str) -> str:
    """A prefix as typed, made ready to print: ``"KCC"`` gives ``"KCC "``.

    Surrounding spaces go; a prefix that ends in a letter gets one space, so that
    "KCC 24/00056" reads as two words, while one that ends in a separator ("MD-")
    is kept as it is. A prefix that cannot start a decision number raises
    ``ValueError``. Source: as for ``format_decision_number``.
    """
    prefix = text.strip()
    if not prefix or not _PREFIX_RE.fullmatch(prefix):
        raise ValueError(
            f"prefix {text!r} must start with a letter, use only letters, digits, "
            "spaces, '-' or '_', and not end with a digit"
        )
    return f"{prefix} " if prefix[-1].isalpha() else prefix


def default_decision_number_prefix(name: str, short_name: str = "", taken=()) -> str:
    """The prefix an authority gets unless one is chosen: its short name, else the
    initials of its name, never one in ``taken`` (compared without case or spaces).

    ``("Kent County Council", "KCC")`` gives ``"KCC "``; ``("Southend-on-Sea City
    Council", "")`` gives ``"SOSCC "``; a short name that cannot start a number
    ("A1") falls back to the initials. A clash gains the next letter of the name's
    last word, then ``B``, ``C``..., so that two councils' numbers never print
    alike. Source: issue 13 ("KCC 26/00001", "SCC 26/00001").
    """
    taken_keys = {_prefix_key(t) for t in taken}
    words = re.findall(r"[A-Za-z]+", name)
    initials = "".join(word[0] for word in words).upper() or "X"
    candidates = []
    short = short_name.strip()
    if short and short[0].isalpha() and _PREFIX_RE.fullmatch(short):
        candidates.append(short)
    candidates.append(initials)
    last = words[-1] if words else ""
    candidates += [initials + last[1:n].upper() for n in range(2, len(last) + 1)]
    candidates += [initials + letter for letter in "BCDEFGHJKLMNPQRSTUVWXYZ"]
    for candidate in candidates:
        prefix = decision_number_prefix(candidate)
        if _prefix_key(prefix) not in taken_keys:
            return prefix
    raise ValueError(f"no free decision number prefix for {name!r}")


def _prefix_key(prefix: str) -> str:
    return re.sub(r"[\s_-]", "", prefix).upper()


def prefixes_print_alike(first: str, second: str) -> bool:
    """Whether two prefixes would make numbers that read alike ("KCC " and "kcc-")."""
    return _prefix_key(first) == _prefix_key(second)


def prefixed_decision_number(number: str, prefix: str) -> str:
    """``number`` with the authority's ``prefix`` if it has none: ``("24/00056", "KCC ")``
    gives ``"KCC 24/00056"``; a number that has a prefix is kept as written. Numbers are
    stored as printed, so that every page, PDF and file shows the same text. Source:
    issue 13 (two councils' numbers never print alike).
    """
    own_prefix, _, _ = parse_decision_number(number)
    return number.strip() if own_prefix else f"{prefix}{number.strip()}"


def parse_decision_number(text: str) -> tuple[str, int, int]:
    """Split a decision number into ``(prefix, yy, sequence)``.

    ``"24/00056"`` gives ``("", 24, 56)``; ``"MD-24/00056"`` gives
    ``("MD-", 24, 56)``. Surrounding whitespace is ignored; anything else that
    does not match the format raises ``ValueError``. Source: as for
    ``format_decision_number``.
    """
    match = _DECISION_NUMBER_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"{text!r} is not a decision number: expected a two-digit year, '/' and "
            "a five-digit sequence, e.g. '24/00056', optionally after a prefix "
            "such as 'MD-'"
        )
    sequence = int(match["sequence"])
    if sequence == 0:
        raise ValueError(f"{text!r} is not a decision number: sequence 00000 is unused")
    return match["prefix"], int(match["yy"]), sequence


# --- Exempt information ----------------------------------------------------------


def exempt_label(paragraph: int) -> str:
    """The standard label for an exempt report or appendix.

    E.g. "Exempt under paragraph 3 of Schedule 12A to the Local Government Act
    1972". Source: Local Government Act 1972 s 100I and Sch 12A Part 1
    (paragraphs 1 to 7, England).
    """
    if isinstance(paragraph, bool) or paragraph not in EXEMPT_PARAGRAPHS:
        raise ValueError(f"Schedule 12A has no exempt paragraph {paragraph!r}: expected 1 to 7")
    return f"Exempt under paragraph {paragraph} of Schedule 12A to the Local Government Act 1972"


# --- Report paragraphs -------------------------------------------------------------


def number_paragraphs(
    sections: Sequence[tuple[str, Sequence[str]]],
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Number report sections and their paragraphs in council style.

    Given ordered ``(heading, paragraphs)`` pairs, returns
    ``(section number, heading, [(paragraph number, text), ...])`` with
    sections numbered "1", "2", ... and paragraphs "1.1", "1.2", ... within
    each. A section with no paragraphs keeps its number. One level only: no
    sub-paragraphs. Source: house style of committee reports (e.g. Kent County
    Council decision reports).
    """
    numbered = []
    for section_index, (heading, paragraphs) in enumerate(sections, start=1):
        section_number = str(section_index)
        numbered.append(
            (
                section_number,
                heading,
                [
                    (f"{section_number}.{paragraph_index}", text)
                    for paragraph_index, text in enumerate(paragraphs, start=1)
                ],
            )
        )
    return numbered


# The letter of an appendix as a clerk lists it: "A: Proposed Record of Decision",
# "Appendix B - Specification", "C. EqIA". One or two capitals, then a separator.
_LISTED_APPENDIX = re.compile(r"^\s*(?:appendix\s+)?([A-Z]{1,2})\s*(?:[:.)\-–]|\s-|$)", re.I)


def _letter_index(letters: str) -> int:
    """0 for "A", 25 for "Z", 26 for "AA": the inverse of the lettering A, B, ..., AA."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + (ord(letter) - ord("A") + 1)
    return index - 1


def appendix_letters_taken(listed: Sequence[str]) -> int:
    """How many appendix letters a report uses before its attached files are lettered.

    A Key Decision Report's Appendix A is the proposed record of decision, printed at
    its end (Kent's 24/00056, shared/seeds/000: "A: Proposed Record of Decision"). The
    clerk's own list of appendices may letter more ("B: Proposed changes to the
    specification"). Files attached as appendices are lettered on from the last letter
    either takes, so no two appendices of one report share a letter. Lines numbered
    "1:", "2:" (Kent's 23/00021 lists its appendices so) take no letter.
    """
    taken = 1  # Appendix A: the proposed record of decision.
    for line in listed:
        match = _LISTED_APPENDIX.match(line)
        if match:
            taken = max(taken, _letter_index(match.group(1)) + 1)
    return taken


# --- Report text: safe simple formatting -------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A report paragraph: its text and any bullet points that follow it."""

    text: str
    bullets: tuple[str, ...] = ()


def split_paragraphs(body: str) -> list[Paragraph]:
    """Split a section's text into paragraphs with their bullet points.

    Paragraphs are separated by blank lines; a line starting "- " (or "* ",
    "•") is a bullet point belonging to the paragraph above it. Lines within a
    paragraph are joined with a space. Nothing else is markup, so the text is
    safe to print. Source: house style of committee reports, where each
    numbered paragraph may carry a bulleted list.
    """
    paragraphs: list[Paragraph] = []
    for block in re.split(r"\n\s*\n", body.replace("\r\n", "\n").strip()):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        text_lines: list[str] = []
        bullets: list[str] = []
        for line in lines:
            if line[:2] in ("- ", "* ", "• "):
                bullets.append(line[2:].strip())
            elif bullets:
                # A continuation of the last bullet point.
                bullets[-1] = f"{bullets[-1]} {line}"
            else:
                text_lines.append(line)
        if not text_lines and paragraphs:
            # Bullets after a blank line still belong to the paragraph above.
            last = paragraphs.pop()
            paragraphs.append(Paragraph(last.text, last.bullets + tuple(bullets)))
            continue
        paragraphs.append(Paragraph(" ".join(text_lines), tuple(bullets)))
    return paragraphs


# --- Pathway ------------------------------------------------------------------------


def split_pathway(
    stages: Sequence[tuple[str, date | None]], meeting_date: date | None
) -> tuple[list[str], list[str]]:
    """The report's past and future pathway lines from its ordered stages.

    ``stages`` are ``(label, date)`` in pathway order. Stages dated before the
    meeting the report goes to are its past pathway; stages after it (or
    undated stages after the meeting's place in the order) its future pathway;
    the meeting itself is the report's "To". Without a meeting date every
    stage is future. Source: the "Past Pathway of report" and "Future Pathway
    of report" lines of Kent County Council committee reports.
    """
    past: list[str] = []
    future: list[str] = []
    reached_meeting = meeting_date is None
    for label, when in stages:
        if meeting_date is not None and when is not None:
            if when < meeting_date:
                past.append(label)
                continue
            if when == meeting_date:
                reached_meeting = True
                continue
            reached_meeting = True
            future.append(label)
        elif reached_meeting:
            future.append(label)
        else:
            past.append(label)
    return past, future


# --- Ceiling ------------------------------------------------------------------------

# Link kinds that count against a decision's approved maximum, each for what it
# authorised (decisions.figures.ceiling_line): an award, the whole-life value at award;
# a variation, its change; an extension, the option periods it authorised.
CEILING_LINK_KINDS = ("award", "vary", "extend")


def ceiling_excess(approved_maximum: Decimal | None, amounts: Sequence[Decimal]) -> Decimal:
    """How far what a decision authorised exceeds its approved maximum; zero if not.

    The amounts it authorised (the whole-life value at award of each contract it
    awards, the change of each variation, the value of each option period it
    exercises) are summed and compared with the ceiling; a reduction counts as
    negative. No ceiling recorded means nothing to breach.
    Source: the authority's financial regulations (a decision authorises
    spending up to the value it approved) and PSR 2023 reg 13 on modifications.
    """
    if approved_maximum is None:
        return Decimal("0.00")
    total = sum(amounts, Decimal("0.00"))
    return max(total - approved_maximum, Decimal("0.00"))
