"""The lint rules: one stable code each, grouped by module. ``RULES`` documents them (used by the CLI
``--list-rules``, the docs page and the benchmark); ``CHECKS`` runs them."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str      # the usual severity; a rule may report a milder one for uncertain cases
    title: str         # Chinese, one line
    detail: str        # Chinese: what is checked


RULES = {r.code: r for r in [
    Rule("missing-basis", "error", "未引用定性依据",
         "底稿没有引用任何党规党纪条款（只写「违反有关规定」也算没有）；只写到法规名称、没有具体条款的给出警告。"),
    Rule("unknown-article", "error", "引用的条款不存在或版本不对",
         "所引条款在知识库中不存在（超出该法规条数、编号不存在），或行为发生在新版施行之后却引用旧版；"
         "知识库未收录、无法核对的条款给出警告。"),
    Rule("weak-basis", "warning", "依据与事实不对应",
         "用检索引擎以底稿事实检索知识库，所引条款不在相关结果之列，且条款关键词与事实毫无交集。"),
    Rule("missing-subject", "error", "缺少问题主体",
         "见人见事：事实中找不到问题主体（单位、党组织或脱敏后的人员）；只有「个别干部」「有的同志」等泛指时给出警告。"),
    Rule("missing-time", "error", "缺少时间",
         "四个准确之一：没有任何时间表述；只有「近年来」「长期」等模糊说法或「去年」等相对说法时给出警告。"),
    Rule("missing-fact-detail", "warning", "事实缺少细节",
         "事实过于简短，或没有数额、次数、人数、户数等具体细节。"),
    Rule("vague-wording", "warning", "浅表化、同质化表述",
         "「个别」「有的」「不够到位」「有待加强」「进一步」等说法所在的句子（及下一句）没有具体事实支撑。"),
    Rule("personal-info", "error", "未脱敏的个人信息",
         "未脱敏的人名、手机号、座机号、身份证号（含校验位核对）、银行卡号；张某、***、XX局等脱敏写法不报。"
         "无职务等上下文、把握不大的疑似人名给出警告。"),
    Rule("no-political-angle", "warning", "缺少政治视角",
         "归入「党的领导」「决策部署」聚焦的问题，定性只停留在业务层面，没有从政治站位、贯彻落实决策部署等角度分析。"),
]}

SEVERITIES = ("error", "warning", "info")
SEVERITY_CN = {"error": "错误", "warning": "警告", "info": "提示"}


def issue(rule, message, start, end, hint="", severity=None):
    return {"rule": rule, "severity": severity or RULES[rule].severity, "message": message,
            "start": int(start), "end": int(max(end, start)), "hint": hint}
