"""Who covers a commune: the police nationale or the gendarmerie nationale. Pure Python.

The real map (zones de police / zones de gendarmerie) is set by decree commune by commune. Offline, we use its
broad rule: Paris and its inner suburbs (préfecture de police) and the towns of 20,000 inhabitants or more are
police; everything else is gendarmerie. Staff correct individual communes with overrides (``CommuneCoverage``),
which always win.
"""

POLICE = "police"
GENDARMERIE = "gendarmerie"

POLICE_DEPARTEMENTS = frozenset({"75", "92", "93", "94"})
POLICE_MIN_POPULATION = 20_000


def default_force(departement: str, population: int) -> str:
    if departement in POLICE_DEPARTEMENTS or population >= POLICE_MIN_POPULATION:
        return POLICE
    return GENDARMERIE


def force_for(insee_code: str, departement: str, population: int, overrides: dict[str, str]) -> str:
    return overrides.get(insee_code) or default_force(departement, population)
