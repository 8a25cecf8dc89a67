"""Reading one roster cell: a sex, a year, an age, a country, languages, a town, needs,
consent — in the spellings rosters use (English, French, Arabic; codes or names).  Each
reader returns the stored value or raises ``BadValue`` with a translatable message naming
the value; ``co_app.core.people.roster_import`` turns it into the row's problem."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Iterable, Mapping

from co_app.core.foundation.errors import Notice
from co_app.core.foundation.i18n import N_
from co_app.core.people.names import normalise
from co_app.core.people.participants import AGE_GROUPS, NEEDS, age_group_for_age


def fold(text: str) -> str:
    """A header or a value compared without case, accents or punctuation."""
    return " ".join(re.findall(r"[^\W_]+", normalise(text)))



_SEX = {"m": "male", "male": "male", "man": "male", "boy": "male", "h": "male", "homme": "male", "masculin": "male",
        "garcon": "male", "ذكر": "male",
        "f": "female", "female": "female", "woman": "female", "girl": "female", "femme": "female",
        "feminin": "female", "fille": "female", "انثي": "female",
        "o": "other", "other": "other", "x": "other", "autre": "other", "اخر": "other",
        "u": "unknown", "unknown": "unknown", "inconnu": "unknown", "غير معروف": "unknown"}
_YES = {"yes", "y", "true", "1", "x", "oui", "o", "نعم", "موافق", "ja", "si"}
_NO = {"no", "n", "false", "0", "non", "لا", "nein"}
_NEEDS = {"literacy": "literacy", "reading": "literacy", "illiterate": "literacy", "alphabetisation": "literacy",
          "lecture": "literacy", "القراءه": "literacy", "محو الاميه": "literacy",
          "mobility": "mobility", "wheelchair": "mobility", "disability": "mobility", "mobilite": "mobility",
          "handicap": "mobility", "اعاقه": "mobility", "الحركه": "mobility",
          "hearing": "hearing", "deaf": "hearing", "audition": "hearing", "السمع": "hearing",
          "vision": "vision", "blind": "vision", "visual": "vision", "vue": "vision", "البصر": "vision",
          "childcare": "childcare", "garde d enfants": "childcare", "رعايه الاطفال": "childcare",
          "health": "health", "medical": "health", "sante": "health", "الصحه": "health"}
#: Country names rosters use that Babel's (CLDR's) names are not: older or longer English
#: names, and the short Arabic and French ones.  Compared after ``_header_key``.
_OTHER_COUNTRY_NAMES = {
    "turkey": "TR", "burma": "MM", "ivory coast": "CI", "czech republic": "CZ", "swaziland": "SZ",
    "macedonia": "MK", "cape verde": "CV", "east timor": "TL", "holland": "NL", "great britain": "GB",
    "palestine": "PS", "state of palestine": "PS", "فلسطين": "PS",
    "democratic republic of the congo": "CD", "democratic republic of congo": "CD", "dr congo": "CD", "drc": "CD",
    "rdc": "CD", "republique democratique du congo": "CD", "congo kinshasa": "CD", "congo brazzaville": "CG",
    "republic of the congo": "CG", "syrian arab republic": "SY", "republique arabe syrienne": "SY",
    "الجمهورية العربية السورية": "SY", "islamic republic of iran": "IR", "iran islamic republic of": "IR",
    "russian federation": "RU", "united republic of tanzania": "TZ", "lao people s democratic republic": "LA",
    "viet nam": "VN",
}
#: Nationalities as rosters often write them — the adjective, not the country — for the
#: countries most refugees resettled to Europe come from (UNHCR's resettlement statistics),
#: in English, French (both genders) and Arabic (both genders).  "Congolese" alone is left
#: out: it names two countries, and a guess would skew the office's figures.
_NATIONALITY_WORDS = {
    "SY": ("syrian", "syrien", "syrienne", "سوري", "سورية"),
    "AF": ("afghan", "afghane", "أفغاني", "أفغانية", "افغانی"),
    "ER": ("eritrean", "érythréen", "érythréenne", "إريتري", "إريترية"),
    "SO": ("somali", "somalian", "somalien", "somalienne", "صومالي", "صومالية"),
    "SD": ("sudanese", "soudanais", "soudanaise", "سوداني", "سودانية"),
    "SS": ("south sudanese", "sud soudanais", "sud soudanaise", "جنوب سوداني"),
    "IQ": ("iraqi", "irakien", "irakienne", "عراقي", "عراقية"),
    "IR": ("iranian", "iranien", "iranienne", "إيراني", "إيرانية"),
    "YE": ("yemeni", "yéménite", "يمني", "يمنية"),
    "ET": ("ethiopian", "éthiopien", "éthiopienne", "إثيوبي", "إثيوبية"),
    "PS": ("palestinian", "palestinien", "palestinienne", "فلسطيني", "فلسطينية"),
    "CD": ("congolese drc", "congolese dr congo", "congolais rdc"),
    "CG": ("congolese republic of the congo", "congolais brazzaville"),
    "BI": ("burundian", "burundais", "burundaise"),
    "RW": ("rwandan", "rwandais", "rwandaise"),
    "MM": ("burmese", "myanmar national", "birman", "birmane"),
    "UA": ("ukrainian", "ukrainien", "ukrainienne"),
    "VE": ("venezuelan", "vénézuélien", "vénézuélienne"),
    "TR": ("turkish", "turc", "turque", "تركي", "تركية"),
    "LB": ("lebanese", "libanais", "libanaise", "لبناني", "لبنانية"),
    "JO": ("jordanian", "jordanien", "jordanienne", "أردني", "أردنية"),
    "PK": ("pakistani", "pakistanais", "pakistanaise"),
    "CF": ("central african", "centrafricain", "centrafricaine"),
    "NG": ("nigerian", "nigérian", "nigériane"),
    "CM": ("cameroonian", "camerounais", "camerounaise"),
    "ML": ("malian", "malien", "malienne"),
    "TD": ("chadian", "tchadien", "tchadienne"),
    "LY": ("libyan", "libyen", "libyenne", "ليبي", "ليبية"),
    "EG": ("egyptian", "égyptien", "égyptienne", "مصري", "مصرية"),
}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%d/%m/%y", "%Y-%m-%d %H:%M:%S")


def _names(locales: Iterable[str], kind: str) -> dict[str, str]:
    from babel import Locale

    found: dict[str, str] = {}
    for code in locales:
        for key, name in getattr(Locale(code), kind).items():
            found.setdefault(fold(name), key)
            if kind == "territories":  # "Myanmar (Burma)" is also "Myanmar" and "Burma"
                for part in re.findall(r"^([^()]+)\(([^()]+)\)\s*$", name):
                    for alias in part:
                        found.setdefault(fold(alias), key)
    return found


_lookups: dict[str, dict[str, str]] = {}


def _lookup(kind: str) -> dict[str, str]:
    """Country or language names in English, French and Arabic → code (built once)."""
    if kind not in _lookups:
        table = _names(("en", "fr", "ar"), kind)
        if kind == "territories":
            table = {key: code for key, code in table.items() if len(code) == 2 and code.isalpha()}
            for name, code in _OTHER_COUNTRY_NAMES.items():
                table.setdefault(fold(name), code)
            for code, words in _NATIONALITY_WORDS.items():
                for word in words:
                    table.setdefault(fold(word), code)
        if kind == "languages":
            table.update({"dari": "fa_AF", "farsi": "fa", "persian": "fa", "kurdish": "ku", "kurmanji": "kmr",
                          "sorani": "ckb", "congolese swahili": "sw", "lingala": "ln", "الدارية": "fa_AF",
                          "الكردية": "ku"})
            table = {key: code for key, code in table.items() if code != "prs"}
        _lookups[kind] = table
    return _lookups[kind]


def _parse_date(text: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _ascii_digits(text: str) -> str:
    return "".join(normalise(c) if c.isdigit() else c for c in text)


class BadValue(Exception):
    def __init__(self, template: str, **params: object):
        super().__init__(template)
        self.notice = Notice(template, **params)


def sex(text: str) -> str:
    value = _SEX.get(normalise(text).strip(" ."))
    if value is None:
        raise BadValue(N_("'{value}' is not a sex this import knows (female, male, other or unknown)."), value=text)
    return value


def birth_year(text: str, today: date) -> int:
    text = _ascii_digits(text)
    if re.fullmatch(r"\d{4}(\.0)?", text):
        return int(text[:4])
    found = _parse_date(text)
    if found is None:
        raise BadValue(N_("'{value}' is neither a year (1985) nor a date (1985-03-21 or 21/03/1985)."), value=text)
    return found.year


def age_group_from_age(text: str) -> str:
    text = _ascii_digits(text)
    if not re.fullmatch(r"\d{1,3}", text):
        raise BadValue(N_("'{value}' is not an age in whole years."), value=text)
    age = int(text)
    if age > 110:
        raise BadValue(N_("An age of {value} years is not plausible."), value=age)
    return age_group_for_age(age) or "0-4"


def age_group(text: str) -> str:
    compact = re.sub(r"\s+", "", _ascii_digits(text)).replace("–", "-").replace("—", "-")
    compact = re.sub(r"(and|or|et)(over|more|older|plus)$", "+", compact.lower())
    if compact in AGE_GROUPS:
        return compact
    raise BadValue(N_("'{value}' is not one of the age groups 0-4, 5-11, 12-17, 18-59 or 60+."), value=text)


def _country_codes() -> dict[str, str]:
    """ISO 3166 alpha-3 codes (and the few other aliases CLDR knows, such as UK) → alpha-2."""
    if "codes" not in _lookups:
        from babel import Locale
        from babel.core import get_global

        countries = {code for code in Locale("en").territories if len(code) == 2 and code.isalpha()}
        _lookups["codes"] = {alias: targets[0] for alias, targets in get_global("territory_aliases").items()
                             if alias.isalpha() and len(targets) == 1 and targets[0] in countries}
    return _lookups["codes"]


def nationality(text: str) -> str:
    """An ISO code (SY, SYR), a country's name or a nationality ("Syrian", "syrienne", "سوري")
    in English, French or Arabic → 'SY'."""
    code = text.strip().upper()
    if code.isascii() and code.isalpha() and len(code) in (2, 3):
        found = _country_codes().get(code)
        if found:
            return found
        if len(code) == 2:
            return code  # validate() says when it is not a country
    found = _lookup("territories").get(fold(text))
    if not found:
        raise BadValue(N_("'{value}' is not a country this import recognises; use a code such as SY or AF, "
                      "or the country's name."), value=text)
    return found


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;/|،؛+]|\s&\s|\band\b|\bet\b", text) if part.strip()]


def languages(text: str) -> tuple[str, ...]:
    from babel import Locale

    codes = []
    known = Locale("en").languages
    for part in _split(text):
        key = fold(part)
        flat = part.strip().replace("-", "_")
        if flat in known or flat.lower() in known or flat in ("fa_AF", "prs"):
            code = "fa_AF" if flat == "prs" else (flat if flat in known else flat.lower())
        else:
            code = _lookup("languages").get(key) or ""
        if not code:
            raise BadValue(N_("'{value}' is not a language this import recognises."), value=part)
        codes.append(code)
    return tuple(codes)


def destination(text: str, towns: Mapping[str, Iterable[str]]) -> str:
    key = fold(text)
    for town_id, names in towns.items():
        if key == fold(town_id) or key in {fold(n) for n in names}:
            return town_id
    raise BadValue(N_("'{value}' is not one of the destination towns."), value=text)


def needs(text: str) -> tuple[str, ...]:
    found = []
    for part in _split(text):
        key = fold(part)
        need = key if key in NEEDS else _NEEDS.get(key)
        if need is None:
            raise BadValue(N_("'{value}' is not a need this import recognises."), value=part)
        found.append(need)
    return tuple(found)


def consent(text: str) -> bool:
    key = normalise(text).strip(" .")
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise BadValue(N_("'{value}' is neither yes nor no."), value=text)


def consent_date(text: str) -> date:
    found = _parse_date(_ascii_digits(text))
    if found is None:
        raise BadValue(N_("'{value}' is not a date (2024-05-21 or 21/05/2024)."), value=text)
    return found
