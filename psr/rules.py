"""Pure rules of the Provider Selection Regime (SI 2023/1348) for records, notices and
the annual summary. No Django here; each rule cites its regulation.

The modification test (reg 13) is ``contracts.rules.psr_modification``, since
modifications feed a contract's figures; the standstill period (reg 12) is
``decisions.rules.standstill_end``.
"""

from __future__ import annotations

# --- Records and notices (reg 24, Schedule 3) ------------------------------------------


# --- The annual summary (reg 25) --------------------------------------------------------
