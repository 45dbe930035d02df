"""The programme types a call belongs to, each with the limits a new call of that type starts from."""
from dataclasses import dataclass

LIMITS = ("cap_total", "max_national_share_bp", "max_national_amount", "selections", "build_months")


@dataclass(frozen=True)
class Programme:
    """A programme type: its code, its names and the default limits of its calls (KRW, basis points)."""

    code: str
    name: str
    name_en: str
    cap_total: int
    max_national_share_bp: int
    max_national_amount: int
    selections: int
    build_months: int

    def display_name(self, locale: str) -> str:
        """The name in the given language."""
        return self.name_en if locale == "en" else self.name

    def limits(self) -> dict:
        """The default limits, by the Call columns they fill."""
        return {name: getattr(self, name) for name in LIMITS}


PROGRAMMES = {p.code: p for p in (
    # The small and mid-sized city build: about 4 billion KRW a site, half national, 16 sites a year.
    Programme("small_mid_city", "중소도시 스마트시티 조성", "Small and mid-sized city smart city build",
              cap_total=4_000_000_000, max_national_share_bp=5_000, max_national_amount=2_000_000_000,
              selections=16, build_months=12),
    # For the two programmes below only the cap and the number of sites are taken from the programme's
    # announcements; the 50 % national share, the national maximum of half the cap and the 12-month build are
    # assumptions, to be configured per call.
    Programme("public_private", "민·관 협력형 실증", "Public-private demonstration",
              cap_total=1_500_000_000, max_national_share_bp=5_000, max_national_amount=750_000_000,
              selections=10, build_months=12),
    Programme("living_lab", "시민주도 리빙랩형", "Citizen-led living lab",
              cap_total=1_000_000_000, max_national_share_bp=5_000, max_national_amount=500_000_000,
              selections=5, build_months=12),
)}
DEFAULT_PROGRAMME = "small_mid_city"


def programme_name(code: str, locale: str) -> str:
    """The programme's name in the given language (the code itself when unknown)."""
    programme = PROGRAMMES.get(code)
    return programme.display_name(locale) if programme else code
