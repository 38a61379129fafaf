"""Controlled vocabulary shared by records, search and the site."""

FOCUS_NAMES = {
    "juece": "聚焦党的路线方针政策和党中央决策部署贯彻落实",
    "fubai": "聚焦群众身边腐败问题和不正之风",
    "zuzhi": "聚焦基层党组织建设",
    "zhenggai": "聚焦巡视巡察等监督发现问题整改落实",
}
FOCUS_SHORT = {"juece": "决策部署落实", "fubai": "群众身边腐败和不正之风", "zuzhi": "基层党组织建设", "zhenggai": "整改落实"}

# search --kind accepts a group name or an exact kind
KIND_GROUPS = {
    "regulation": ("regulation", "article", "provision", "section"),
    "article": ("article",),
    "checklist": ("checklist", "checklist_item"),
    "finding": ("finding",),
    "method": ("method",),
    "material": ("material",),
}
KIND_CN = {"regulation": "法规", "article": "条文", "provision": "规定（无条号）", "section": "部分",
           "checklist": "清单", "checklist_item": "检查项", "finding": "问题示例", "method": "方法", "material": "学习材料"}
STATUSES = ("现行有效", "已被修订", "已废止", "失效")
