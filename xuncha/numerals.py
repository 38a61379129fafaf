"""Chinese numerals <-> integers, for article numbers (第一百零三条 <-> 103)."""
import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
          "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_NUM = "零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟"
_CN_RE = re.compile(f"[{CN_NUM}]+")


def cn_to_int(text):
    """Parse a Chinese numeral (一百零三, 十二, 一〇三) or Arabic digits. Returns None if it is not a number."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if any(c not in DIGITS and c not in UNITS for c in text):
        return None
    if not any(c in UNITS for c in text):  # 一〇三 style: digit by digit
        return int("".join(str(DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for c in text:
        if c in DIGITS:
            digit = DIGITS[c]
        else:
            unit = UNITS[c]
            section += (1 if digit is None else digit) * unit
            digit = None
    return total + section + (digit or 0)


def int_to_cn(n):
    """103 -> 一百零三, 10 -> 十, 110 -> 一百一十 (the form used in article citations)."""
    if n < 0 or n >= 10000:
        raise ValueError(n)
    if n == 0:
        return "零"
    d = "零一二三四五六七八九"
    parts, zero = [], False
    for unit_value, unit_name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        q = n // unit_value % 10
        if q == 0:
            if parts:
                zero = True
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(d[q] + unit_name)
    out = "".join(parts)
    if 10 <= n < 20:
        out = out[1:]  # 十二, not 一十二
    return out


_REF_RE = re.compile(f"第\\s*([0-9]+|[{CN_NUM}]+)\\s*(条|章|编|节|款|项|部分)")


def arabize_refs(text):
    """Rewrite 第一百零三条 as 第103条 (also 章/编/节/款/项/部分), leaving other text alone."""
    def sub(m):
        n = cn_to_int(m.group(1))
        return m.group(0) if n is None else f"第{n}{m.group(2)}"
    return _REF_RE.sub(sub, text)
