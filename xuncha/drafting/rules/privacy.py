"""personal-info: unmasked names, mobile and landline numbers, ID-card and bank-card numbers (脱敏检查)."""
import datetime as dt
import re

from ..citations import fold
from ..names import find_names
from . import issue

_MOBILE_RE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])")
_LANDLINE_RE = re.compile(r"(?<![0-9])(?:0[0-9]{2,3}[-－ ]|[（(]0[0-9]{2,3}[）)]\s*)[2-9][0-9]{6,7}(?![0-9])")
_PHONE_CTX_RE = re.compile(r"(?:电话|座机|手机|联系方式|手机号|号码)[：:为是]?\s*([0-9][0-9 -]{6,14}[0-9])(?![0-9])")
_ID18_RE = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9xX](?![0-9])")
_ID15_RE = re.compile(r"(?<![0-9])[1-9][0-9]{5}[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}(?![0-9])")
_CARD_RE = re.compile(r"(?<![0-9])[0-9]{4}(?:[ -]?[0-9]{4}){2,3}(?:[ -]?[0-9]{1,3})?(?![0-9])")
_ID_CTX = re.compile(r"身份证|证件号|公民身份号码")
_CARD_CTX = re.compile(r"银行卡|卡号|账号|帐号|账户|帐户|存折|社保卡|一卡通|开户")
_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_checksum_ok(s):
    """GB 11643 check digit of an 18-digit citizen ID number."""
    s = s.upper()
    if len(s) != 18 or not s[:17].isdigit():
        return False
    return "10X98765432"[sum(int(c) * w for c, w in zip(s[:17], _W)) % 11] == s[17]


def _birth_ok(ymd):
    try:
        d = dt.date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:8]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= d <= dt.date.today()


def luhn_ok(digits):
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c)
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _ctx(t, s, pattern, width=12):
    return bool(pattern.search(t[max(0, s - width):s]))


def find_numbers(text):
    """[(start, end, kind, severity)] for phone, ID-card and bank-card numbers in ``text``."""
    t = fold(text)
    out, taken = [], []

    def add(s, e, kind, sev="error"):
        if not any(s < b and a < e for a, b in taken):
            out.append((s, e, kind, sev))
            taken.append((s, e))

    for m in _ID18_RE.finditer(t):
        v = m.group(0)
        if id_checksum_ok(v) and _birth_ok(v[6:14]):
            add(m.start(), m.end(), "身份证号")
        elif _ctx(t, m.start(), _ID_CTX):
            add(m.start(), m.end(), "身份证号")
        elif _birth_ok(v[6:14]):
            add(m.start(), m.end(), "疑似身份证号", "warning")
    for m in _ID15_RE.finditer(t):
        if _ctx(t, m.start(), _ID_CTX) and _birth_ok("19" + m.group(0)[6:12]):
            add(m.start(), m.end(), "身份证号（15位）")
    for m in _MOBILE_RE.finditer(t):
        add(m.start(), m.end(), "手机号")
    for m in _LANDLINE_RE.finditer(t):
        add(m.start(), m.end(), "固定电话号码")
    for m in _PHONE_CTX_RE.finditer(t):
        digits = re.sub(r"\D", "", m.group(1))
        if 7 <= len(digits) <= 12:
            add(m.start(1), m.end(1), "电话号码")
    for m in _CARD_RE.finditer(t):
        digits = re.sub(r"\D", "", m.group(0))
        if not 16 <= len(digits) <= 19:
            continue
        if luhn_ok(digits) and digits[0] in "3456789":
            add(m.start(), m.end(), "银行卡号")
        elif _ctx(t, m.start(), _CARD_CTX, 16):
            add(m.start(), m.end(), "银行卡号")
    for m in re.finditer(r"(?<![0-9])[0-9]{12,19}(?![0-9])", t):
        if _ctx(t, m.start(), _CARD_CTX, 16):
            add(m.start(), m.end(), "银行账号")
    return sorted(out)


_MASK_HINT = {
    "身份证号": "删除或只保留前 6 位和后 4 位，中间用 * 代替",
    "手机号": "删除或写成 138****5678 的形式",
    "银行卡号": "删除或只保留后 4 位，如 **** **** **** 1234",
}


def check_personal_info(ctx):
    out = []
    text = ctx.text
    for s, e, kind, sev in find_numbers(text):
        base = kind.replace("疑似", "").replace("（15位）", "")
        out.append(issue("personal-info", f"出现未脱敏的{kind}「{text[s:e]}」", s, e,
                         _MASK_HINT.get(base, "删除号码，或只保留后 4 位、其余用 * 代替") + "；底稿按涉密材料管理，个人信息一律脱敏",
                         severity=sev))
    skip = [(c.start, c.end) for c in ctx.citations]
    for s, e, name, conf in find_names(text):
        if any(a <= s < b for a, b in skip):
            continue
        masked = name[0] + "某" if len(name) <= 3 else name[:2] + "某"
        if conf == "high":
            msg = f"出现未脱敏的人名「{name}」"
        else:
            msg = f"「{name}」疑似未脱敏的人名"
        hint = f"人名写作「{masked}」或「***」" + ("" if conf == "high" else "；如不是人名可忽略本条")
        out.append(issue("personal-info", msg, s, e, hint, severity="error" if conf == "high" else "warning"))
    return out


CHECKS = [check_personal_info]
