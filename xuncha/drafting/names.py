"""Find unmasked personal names in Chinese text.

Candidates come from jieba's part-of-speech tagger (``nr`` tags), repaired where jieba splits a name
(刘/秀英, 周/立新) and checked against a surname list; masked forms (张某, 王某某, 李**, 赵XX, ***) and
place or organisation names (白云村, 王庄镇, 张家沟) are not names. A candidate next to a role word
(书记、主任、会计…) or a 姓名 label is ``high`` confidence, others ``medium``."""
import logging
import re
import threading

SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆"
    "乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平"
    "计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公"
    "哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由") - {"党"}
# surnames that are far more often ordinary words right after a role word (主任和委员, 书记由县级…)
AMBIGUOUS_SURNAMES = set("和由都曾时党任于向从全应能那其也被把将与及对为以在有是就还又而之各这上下用未没已让给说称均共自经"
                         "相来")
COMPOUND = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒",
            "夏侯", "澹台", "端木", "申屠", "轩辕", "西门", "独孤", "南宫", "第五"}
STRONG_ROLES = ("党支部书记", "党委书记", "党组书记", "副书记", "书记", "副主任", "主任", "会计", "出纳", "报账员", "文书", "委员",
                "村长", "组长", "队长", "副局长", "局长", "副镇长", "镇长", "乡长", "县长", "科长", "股长", "所长", "站长",
                "校长", "院长", "总经理", "经理", "董事长", "厂长", "部长", "处长", "村医", "网格员", "监督员", "保洁员",
                "户主", "村民", "老板", "承包人", "负责人", "妻子", "丈夫", "儿子", "女儿", "父亲", "母亲", "弟弟", "哥哥", "妹妹",
                "姐姐", "侄子", "外甥", "同学", "驾驶员", "司机", "秘书", "举报人", "反映人", "当事人", "联系人", "收款人",
                "经手人", "申请人", "姓名", "名字")
# role words that also head ordinary phrases (群众安危, 干部队伍): a candidate next to them must still look like a name
WEAK_ROLES = ("群众", "党员", "干部", "职工", "员工", "工作人员", "商户", "亲属", "朋友", "老师", "医生", "同志", "主席")
ROLES = STRONG_ROLES + WEAK_ROLES
MASK_CHARS = set("某*＊xX×○〇ＸＸ_＿")
# a name followed by one of these is a place or an organisation (白云村, 王庄镇, 张家沟…)
PLACE_SUFFIX = re.compile(r"^(?:村|镇|乡|县|市|区|省|局|组|沟|河|湾|庄|屯|寨|坡|岭|山|街|路|巷|社区|小区|公司|集团|厂|店|"
                          r"酒店|宾馆|饭店|学校|中学|小学|医院|卫生院|站|所|中心|合作社|农场|家|堡|坝|桥|峪|洼|营|铺|"
                          r"岗|塘|坪|园|苑|楼|大道|广场|水库|煤矿|矿|林场|牧场|委|办|队)")
# words jieba sometimes tags as names in inspection prose
NOT_NAMES = {"农家乐", "光荣", "文明", "和平", "向阳", "高峰", "金额", "万元", "于是", "常委", "安全", "方案", "成本", "明确",
             "高度", "全体", "程序", "石料", "时间", "党建", "任用", "林地", "江山", "黎明", "宋体", "黑体", "仿宋", "楷体",
             "华为", "阳光", "温暖", "和谐", "富强", "康乐", "平安", "祝福", "高速", "高铁", "路灯", "钱款", "马上", "余额",
             "尚未", "甘心", "关于", "于此", "向上", "应当", "应急", "严重", "严格", "齐全", "车辆", "包括", "景区", "宁可",
             "韩国", "白条", "鲁班", "井盖", "乔迁", "惠农", "章名", "相衔接", "边巡", "查本", "查深", "施策", "谈何", "向心力", "花名册", "谢师宴", "公序良", "宣传品", "宣传栏", "公开栏", "严肃性", "辛苦费", "农惠农", "雷锋", "焦裕禄", "谷文昌", "杨善洲", "孔繁森", "习近平", "毛泽东", "邓小平"}
FUNCTION = set("的了和与及或在是对等有被把将并而之其中为以于由从向就都也又还这那各该个上下用未没曾已让给说称均共自经"
               "家去来到要想看问找送拿买卖借收交付签办管写报领打叫代")

_lock = threading.Lock()
_tagger = None


def tagger():
    """jieba's POS tagger with the project's domain terms (loaded once, a few seconds)."""
    global _tagger
    with _lock:
        if _tagger is None:
            import jieba
            import jieba.posseg as pseg
            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            from ..analysis import load_domain_terms
            for w in load_domain_terms():
                tk.add_word(w, 50000, "n")
            for w in NOT_NAMES:
                tk.add_word(w, 2000, "n")
            _tagger = pseg.POSTokenizer(tk)
    return _tagger


MAX_HMM = 12  # jieba re-tags runs of single characters with an HMM; a long run (garbage input) costs seconds


def _tokens(text):
    """(word, flag, offset) for every run of Chinese characters; names never cross punctuation or digits.

    The same as jieba's HMM mode (dictionary route, then the HMM over runs of single characters, which is
    where unknown names are found), except that runs longer than MAX_HMM keep the dictionary tags."""
    out = []
    tg = tagger()
    for m in re.finditer(r"[\u4e00-\u9fff]+", text):
        toks = [(p.word, p.flag) for p in tg.cut(m.group(0), HMM=False)]
        pos, i = m.start(), 0
        while i < len(toks):
            j = i
            while j < len(toks) and len(toks[j][0]) == 1:
                j += 1
            if j - i >= 2:
                group = "".join(w for w, _ in toks[i:j])
                parts = tg.cut(group, HMM=True) if len(group) <= MAX_HMM else toks[i:j]
                for w, flag in parts:
                    out.append((w, flag, pos))
                    pos += len(w)
                i = j
            else:
                w, flag = toks[i]
                out.append((w, flag, pos))
                pos += len(w)
                i += 1
    return out


def _is_cjk(s):
    return bool(s) and all("\u4e00" <= c <= "\u9fff" for c in s)


def _surname_len(w):
    if w[:2] in COMPOUND:
        return 2
    return 1 if w[:1] in SURNAMES else 0


def _context(text, s, e):
    """'strong' when a role word or a 姓名 label is next to the candidate, 'weak' for 群众/干部…, else ''."""
    before = text[max(0, s - 6):s]
    after = text[e:e + 12]
    if any(before.endswith(r) for r in STRONG_ROLES) or re.search(r"(姓名|名字|名叫|叫做|化名)[：:为是]?\s*$", before):
        return "strong"
    if re.match(r"^[（(][\u4e00-\u9fff*＊Xx]{0,8}?(?:" + "|".join(STRONG_ROLES) + ")", after) or re.match(r"^(?:" + "|".join(STRONG_ROLES) + ")", after):
        return "strong"
    if any(before.endswith(r) for r in WEAK_ROLES) or re.match(r"^[（(]?(?:" + "|".join(WEAK_ROLES) + ")", after):
        return "weak"
    return ""


COMMON_FREQ = 50      # a dictionary word tagged nr this frequent is usually a common word (雷同, 廉政, 晋升…)
GIVEN_WORD_FREQ = 1000  # 杨/光荣, 党/执政: the "given name" is an ordinary word


def _freq(w):
    return tagger().tokenizer.FREQ.get(w) or 0


def _tag(w):
    return tagger().word_tag_tab.get(w)


def _ok(cand, tok, context, prev_char=""):
    """Whether a candidate is a name, given the token jieba tagged and whether a role word is adjacent."""
    if context == "strong":
        return True
    if cand in NOT_NAMES:
        return False
    if tok == cand and (_tag(tok) or "").startswith("nr") and _freq(tok) >= COMMON_FREQ:
        return False
    given = cand[_surname_len(cand):]
    if len(given) == 2 and _freq(given) >= GIVEN_WORD_FREQ and not (_tag(given) or "").startswith(("nr", "nz")):
        return False
    if _freq(cand) >= GIVEN_WORD_FREQ and not (_tag(cand) or "").startswith("nr"):
        return False
    if len(cand) == 3 and _freq(cand[:2]) >= 200 and not (_tag(cand[:2]) or "").startswith("nr"):
        return False  # 宣传栏, 严肃性
    if len(given) == 1 and given in FUNCTION | set("无和与及或并"):
        return False  # 张和, 单和
    if prev_char and (prev_char.isdigit() or prev_char in "一二两三四五六七八九十百千几多数每整半"):
        return False  # 3张发票: 张 is a measure word here
    if prev_char and _freq(prev_char + cand[0]) >= 100 and not (_tag(prev_char + cand[0]) or "").startswith("nr"):
        return False  # 同时列明, 担任独董: the "surname" belongs to the word before
    return True


_ROLE_NAME_RE = None


def _role_name_cands(text):
    """Names right after a strong role word that jieba did not tag (户主马/文华, 村/医周红): the role is
    the evidence. Length: three characters unless the third is a function word or starts a word."""
    global _ROLE_NAME_RE
    if _ROLE_NAME_RE is None:
        roles = "|".join(sorted((r for r in STRONG_ROLES if r not in ("姓名", "名字")), key=len, reverse=True))
        _ROLE_NAME_RE = re.compile(rf"(?:{roles})[:：]?(?=[\u4e00-\u9fff])")
    out = []
    for m in _ROLE_NAME_RE.finditer(text):
        s = m.end()
        sl = _surname_len(text[s:s + 2])
        if sl == 0 or text[s] in FUNCTION or text[s] in AMBIGUOUS_SURNAMES or _freq(m.group(0).rstrip(":：") + text[s]) >= 50:
            continue  # not a surname, or the role word runs on (会计师)
        two = text[s:s + sl + 1]
        if len(two) < sl + 1 or two[-1] in FUNCTION or not _is_cjk(two) or _freq(two) >= 200 and not (_tag(two) or "").startswith("nr"):
            continue  # 局长安排, 书记高度重视
        third = text[s + sl + 1:s + sl + 2]
        starts_word = any(_freq(text[s + sl + 1:s + sl + 1 + k]) >= 100 for k in (2, 3))
        if third and _is_cjk(third) and third not in FUNCTION and not starts_word:
            out.append((s, two + third, two + third))
        else:
            out.append((s, two, two))
    return out


def find_names(text):
    """[(start, end, name, confidence)] for unmasked personal names in ``text``."""
    if not re.search(r"[\u4e00-\u9fff]", text):
        return []
    toks = _tokens(text)
    cands = []
    for i, (w, flag, s) in enumerate(toks):
        if not flag.startswith("nr") or not _is_cjk(w):
            continue
        cand_s, cand = s, w
        sl = _surname_len(w)
        prev = toks[i - 1][0] if i > 0 else ""
        if len(w) <= 2 and prev and len(prev) > 1 and prev[-1] in SURNAMES and any(
                text[:s - 1].endswith(r) for r in ROLES):
            cands.append((s - 1, prev[-1] + w, w))  # a role word swallowed the surname: 主任何文斌 -> 主/任何/文斌
            continue
        if sl == 0:
            # jieba split off the surname: 刘/秀英
            if len(w) <= 2 and len(prev) == 1 and prev in SURNAMES:
                cand_s, cand = s - 1, prev + w
            else:
                continue
        elif len(w) == sl:
            # a bare surname: join the given name that follows (周/立新)
            if i + 1 < len(toks):
                nw = toks[i + 1][0]
                if _is_cjk(nw) and 1 <= len(nw) <= 2 and nw[0] not in FUNCTION and not any(
                        nw.startswith(r[:2]) for r in ROLES if len(r) >= 2):
                    cand = w + nw
            if cand == w:
                continue
        elif len(w) == sl + 1 and i + 1 < len(toks):
            nw, nflag, _ = toks[i + 1]
            if nflag.startswith("nr") and len(nw) == 1 and _is_cjk(nw) and nw not in FUNCTION:
                cand = w + nw  # 欧阳明/辉
        cands.append((cand_s, cand, w))
    cands += _role_name_cands(text)
    found = {}
    for cand_s, cand, tok in cands:
        cand_e = cand_s + len(cand)
        given = cand[_surname_len(cand):]
        if not (1 <= len(given) <= 2):
            continue
        if any(c in MASK_CHARS for c in text[cand_s:cand_e + 2]):
            continue
        if PLACE_SUFFIX.match(text[cand_e:cand_e + 4]) or PLACE_SUFFIX.match(cand[-1]):
            continue
        context = _context(text, cand_s, cand_e)
        if not _ok(cand, tok, context, text[cand_s - 1] if cand_s > 0 else ""):
            continue
        if cand_s not in found:
            found[cand_s] = (cand_s, cand_e, cand, "high" if context else "medium")
    return sorted(found.values())
