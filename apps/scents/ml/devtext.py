"""Development text made by general rules (deterministic for a seed): non-scenes, and scene-like
sentences outside the archetypes.

The scene check (scene_check.py) learns "scene or not" from the training archetypes' scenes,
concepts and `scene_like_generate` against `junk_generate`; its threshold is chosen on other seeds.
Both are *development* text: the held-out junk (data/scene_check_eval.jsonl) and the behavioural
suite (tests/fixtures/behaviour/scents.jsonl) were written before, by hand, and never come from here.

Non-scene kinds, in English and Korean: keyboard mash and random letters, pronounceable nonsense words,
random Hangul syllables and bare jamo, one word repeated, and everyday non-scene text built from
slot templates (business and politics news, office and admin messages, IT and code, shopping and
to-do lists, cooking instructions, sports results, school maths and medicine, travel logistics,
chat).
"""

import random
import string

_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1234567890")
_KO_KEYS = dict(zip("qwertasdfgzxcvyuiophjklbnm", "ㅂㅈㄷㄱㅅㅁㄴㅇㄹㅎㅋㅌㅊㅍㅛㅕㅑㅐㅔㅗㅓㅏㅣㅠㅜㅡ"))
_JAMO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎㅏㅐㅑㅓㅔㅕㅗㅛㅜㅠㅡㅣ"
_ONSETS, _VOWELS, _CODAS = "bcdfghjklmnprstvwz", "aeiouy", ["", "", "n", "r", "s", "t", "rf", "mp", "ng", "x"]

# Slot values shared by the templates: {n} a number, {x} an item, {w} a weekday, {t} a team...
_EN = {
    "news": [
        "The central bank raised rates by {n} basis points on {w}.",
        "Shares of {co} fell {n} percent after weaker quarterly results.",
        "The government announced a new budget of {n} billion dollars.",
        "{co} agreed to buy a rival for {n} million dollars.",
        "The senate will vote on the tax bill on {w}.",
        "Inflation slowed to {n} percent in the year to {m}.",
        "Voters go to the polls on {w} in a closely fought election.",
        "The minister said talks with the unions would resume in {m}.",
    ],
    "office": [
        "Please submit the {doc} by {w}.",
        "The {doc} is due at the end of {m}.",
        "Can you forward me the {doc} before the meeting?",
        "The meeting is moved to {n} pm on {w}.",
        "Your {doc} has been approved.",
        "Reminder: the {doc} deadline is {w}.",
        "Please reply to this email to confirm your attendance.",
    ],
    "tech": [
        "Restart the {dev} and install the latest update.",
        "Error {n}: could not connect to the server.",
        "Your password must contain at least {n} characters.",
        "Click Save, then close the settings window.",
        "The {dev} battery is at {n} percent.",
        "Download the app and log in with your account.",
    ],
    "sports": [
        "{t} beat {t2} {n}-{n2} on {w}.",
        "The coach was fired after {n} straight losses.",
        "{t} signed a striker on a {n}-year contract.",
        "The final ended in a {n}-{n} draw.",
    ],
    "school": [
        "Solve for x: {n}x + {n2} = {n3}.",
        "Read chapter {n} before the exam on {w}.",
        "Take {n} tablets a day after meals.",
        "The area of a circle is pi times the radius squared.",
    ],
    "travel": [
        "Flight {code} departs at {n}:{n2}0 from gate {n3}.",
        "Check-out is at {n} am.",
        "The train to the airport leaves every {n} minutes.",
        "Your booking number is {code}.",
    ],
    "cook": [
        "Add {n} g of {food} and stir for {n2} minutes.",
        "Preheat the oven to {n}0 degrees.",
        "Cut the {food} into cubes and season with salt.",
        "Mix {n} eggs with {n2}00 ml of milk.",
        "Simmer for {n} minutes, then drain.",
    ],
    "chat": [
        "ok see you at {n}",
        "thanks!! talk {w}",
        "where are you",
        "lol yes",
        "call me later",
        "did you get my message?",
    ],
}
_KO = {
    "news": [
        "한국은행이 기준금리를 {n}%로 동결했다.",
        "{co} 주가가 실적 부진으로 {n}% 떨어졌다.",
        "정부는 {n}조 원 규모의 추경 예산을 발표했다.",
        "국회는 {w} 본회의에서 법안을 처리한다.",
        "{m} 소비자물가 상승률은 {n}%를 기록했다.",
        "{co}가 경쟁사를 {n}억 원에 인수하기로 했다.",
    ],
    "office": [
        "{w}까지 {doc}를 제출해 주세요.",
        "{doc} 마감은 {m} 말입니다.",
        "회의가 {w} 오후 {n}시로 변경되었습니다.",
        "첨부한 {doc}를 확인 부탁드립니다.",
        "{doc}가 승인되었습니다.",
    ],
    "tech": [
        "{dev}를 재시작한 후 업데이트를 설치하세요.",
        "오류 {n}: 서버에 연결할 수 없습니다.",
        "비밀번호는 {n}자 이상이어야 합니다.",
        "앱을 내려받아 로그인하세요.",
        "{dev} 배터리가 {n}% 남았습니다.",
    ],
    "sports": [
        "{t}이 {t2}을 {n}대{n2}로 이겼다.",
        "감독은 {n}연패 끝에 경질됐다.",
        "결승전은 {n}대{n} 무승부로 끝났다.",
    ],
    "school": [
        "x를 구하시오: {n}x + {n2} = {n3}",
        "{w} 시험 전까지 {n}장을 읽으세요.",
        "하루 {n}번 식후에 복용하세요.",
    ],
    "travel": [
        "{code}편은 {n}시 {n2}0분에 {n3}번 게이트에서 출발합니다.",
        "체크아웃은 오전 {n}시입니다.",
        "예약 번호는 {code}입니다.",
    ],
    "cook": [
        "{food}를 넣고 {n}분간 볶는다.",
        "오븐을 {n}0도로 예열한다.",
        "{food}를 깍둑썰기하고 소금으로 간한다.",
        "달걀 {n}개와 우유 {n2}00ml를 섞는다.",
        "{n}분간 끓인 뒤 물기를 뺀다.",
    ],
    "chat": ["ㅇㅋ {n}시에 봐", "고마워 {w}에 얘기해", "어디야?", "ㅋㅋ 응", "이따 전화해", "문자 봤어?"],
}
_SLOTS = {
    "en": {
        "w": "Monday Tuesday Wednesday Thursday Friday".split(),
        "m": "March June September December".split(),
        "co": ["Acme Corp", "the chipmaker", "the carmaker", "the bank"],
        "doc": ["report", "invoice", "timesheet", "expense form", "contract", "tax return"],
        "dev": ["router", "laptop", "phone", "printer"],
        "t": ["Arsenal", "the Tigers", "Real Madrid", "the Lions"],
        "food": ["onion", "chicken", "potato", "flour", "butter", "rice"],
        "items": [
            "milk",
            "eggs",
            "bread",
            "soap",
            "batteries",
            "rice",
            "paper towels",
            "shampoo",
            "coffee",
            "onions",
            "tape",
            "pens",
            "socks",
            "detergent",
            "yogurt",
            "light bulbs",
        ],
    },
    "ko": {
        "w": "월요일 화요일 수요일 목요일 금요일".split(),
        "m": "3월 6월 9월 12월".split(),
        "co": ["삼성전자", "현대차", "한 은행", "한 통신사"],
        "doc": ["보고서", "청구서", "근무표", "경비 신청서", "계약서"],
        "dev": ["공유기", "노트북", "휴대폰", "프린터"],
        "t": ["두산", "울산", "대표팀", "엘지"],
        "food": ["양파", "닭고기", "감자", "밀가루", "버터", "두부"],
        "items": [
            "우유",
            "계란",
            "식빵",
            "비누",
            "건전지",
            "쌀",
            "휴지",
            "샴푸",
            "커피",
            "양파",
            "테이프",
            "볼펜",
            "양말",
            "세제",
            "라면",
            "두부",
        ],
    },
}
_CODE = [
    "def {f}(x): return x * {n}",
    "SELECT * FROM {f} WHERE id = {n};",
    "for i in range({n}): print(i)",
    "const {f} = require('{f}');",
    "if (x > {n}) {{ return null; }}",
    "git push origin {f}",
    "pip install {f}=={n}.0",
    '<p class="{f}">{n}</p>',
    "{f}.append({n})",
    "x = np.array([{n}, {n2}])",
    "curl -X POST localhost:{n}000/api/{f}",
    "return {{'{f}': {n}}}",
]
_IDENTS = ["main", "users", "data", "config", "items", "parse", "result", "handler"]


def _mash(rng):
    out = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.random()
        if kind < 0.45:  # a run along one keyboard row
            row = rng.choice(_ROWS[:3])
            start = rng.randrange(len(row) - 2)
            out.append(row[start : start + rng.randint(3, 7)])
        elif kind < 0.75:
            out.append("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(2, 9))))
        else:  # a pronounceable made-up word
            out.append(
                "".join(
                    rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.randint(1, 3))
                )
            )
    text = " ".join(out)
    return text.capitalize() if rng.random() < 0.3 else text


def _ko_mash(rng):
    kind = rng.random()
    if kind < 0.35:  # an English-keyboard mash typed with the Korean layout: bare jamo
        return "".join(_KO_KEYS.get(ch, ch) for ch in _mash(rng).lower())
    if kind < 0.6:
        return " ".join("".join(rng.choice(_JAMO) for _ in range(rng.randint(2, 6))) for _ in range(rng.randint(1, 3)))
    if kind < 0.75:
        return " ".join(rng.choice("ㅋㅎㅠㅜ") * rng.randint(2, 6) for _ in range(rng.randint(1, 3)))
    return " ".join(
        "".join(chr(0xAC00 + rng.randrange(11172)) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 3))
    )


def _fill(template, lang, rng):
    slots = _SLOTS[lang]
    values = {k: rng.choice(v) for k, v in slots.items() if k != "items"}
    values.update(
        t2=rng.choice(slots["t"]),
        n=rng.randint(1, 9),
        n2=rng.randint(1, 9),
        n3=rng.randint(10, 40),
        code=f"{rng.choice('KLOZ')}{rng.choice('EAHJ')}{rng.randint(100, 999)}",
        f=rng.choice(_IDENTS),
    )
    return template.format(**values)


def _listing(lang, rng):
    items = rng.sample(_SLOTS[lang]["items"], rng.randint(3, 6))
    items = [f"{i} x{rng.randint(2, 4)}" if rng.random() < 0.2 else i for i in items]
    sep = rng.choice([", ", "; ", " - "])
    head = rng.choice(["", "buy: ", "To do: ", "list: "] if lang == "en" else ["", "장볼 것: ", "살 것 - ", "목록: "])
    return head + sep.join(items)


def junk_generate(*, n=2000, seed=0, scene_words=()):
    """n (text, kind, lang) triples of development non-scene text; scene_words feed the repeats."""
    rng = random.Random(seed)
    words = {
        "en": [w for w in scene_words if w.isascii()] or ["rain"],
        "ko": [w for w in scene_words if not w.isascii()] or ["비"],
    }
    out = []
    for i in range(n):
        lang = "en" if i % 2 == 0 else "ko"
        roll = rng.random()
        if roll < 0.25:
            kind, text = "gibberish", _mash(rng) if lang == "en" else _ko_mash(rng)
        elif roll < 0.35:
            kind = "repeated_word"
            text = " ".join([rng.choice(words[lang])] * rng.randint(2, 6))
        elif roll < 0.45:
            kind, text = "code", _fill(rng.choice(_CODE), lang, rng)
        elif roll < 0.55:
            kind, text = "list", _listing(lang, rng)
        else:
            kind = rng.choice(sorted(_EN))
            text = _fill(rng.choice((_EN if lang == "en" else _KO)[kind]), lang, rng)
        out.append((text, kind, lang))
    return out


# Scene-like sentences: someone doing something somewhere, with what the senses pick up. Why: the
# archetypes are 44 fixed settings; without these the check learns "one of those settings", not
# "a scene", and turns down real scenes of settings no archetype has.
_WHO = [
    ("an old man", "노인이"),
    ("two children", "두 아이가"),
    ("a young woman", "젊은 여자가"),
    ("the detective", "형사가"),
    ("a soldier", "병사가"),
    ("the lovers", "연인들이"),
    ("a nurse", "간호사가"),
    ("a fisherman", "어부가"),
    ("the stranger", "낯선 사람이"),
    ("a girl", "소녀가"),
    ("the family", "가족이"),
    ("a monk", "스님이"),
    ("the thief", "도둑이"),
    ("a farmer", "농부가"),
    ("the musician", "음악가가"),
]
_DO = [
    ("walks slowly", "천천히 걷는다"),
    ("waits alone", "혼자 기다린다"),
    ("runs", "달린다"),
    ("sits in silence", "말없이 앉아 있다"),
    ("cries", "운다"),
    ("laughs", "웃는다"),
    ("whispers", "속삭인다"),
    ("lights a lamp", "등불을 켠다"),
    ("opens an old door", "낡은 문을 연다"),
    ("looks out of the window", "창밖을 본다"),
    ("dances", "춤춘다"),
    ("sleeps", "잠든다"),
    ("digs in the earth", "흙을 판다"),
    ("sings softly", "나직이 노래한다"),
]
_WHERE = [
    ("on a wooden pier", "나무 부두에서"),
    ("in a crowded train station", "붐비는 기차역에서"),
    ("in a small village square", "작은 마을 광장에서"),
    ("in a barn full of hay", "건초가 가득한 헛간에서"),
    ("on a cliff above the sea", "바다 위 절벽에서"),
    ("in an empty factory", "텅 빈 공장에서"),
    ("in a mountain cabin", "산속 오두막에서"),
    ("in a hotel lobby", "호텔 로비에서"),
    ("on a rooftop", "옥상에서"),
    ("in a rice paddy", "논에서"),
    ("in a dark alley", "어두운 골목에서"),
    ("at a country fair", "시골 장터에서"),
    ("in a stone courtyard", "돌로 된 안뜰에서"),
    ("by a frozen river", "얼어붙은 강가에서"),
    ("in a cellar", "지하실에서"),
    ("in a school classroom", "학교 교실에서"),
    ("at a bus stop", "버스 정류장에서"),
]


def scene_like_generate(*, n=2000, seed=0):
    """n (text, lang) development scenes: who + what + where, then 0-3 scenario phrases (weather,
    time, mood...) and sometimes a smell concept, in both languages."""
    from .scenarios import CONCEPTS, VARIATIONS

    rng = random.Random(seed)
    out = []
    for i in range(n):
        k = i % 2  # 0 English, 1 Korean
        who, do, where = rng.choice(_WHO)[k], rng.choice(_DO)[k], rng.choice(_WHERE)[k]
        extra = [rng.choice((v.en, v.ko)[k]) for v in rng.sample(VARIATIONS, rng.randint(0, 3))]
        if rng.random() < 0.5:
            smell = rng.choice(rng.choice(CONCEPTS)[k])
            extra.append(f"the smell of {smell}" if k == 0 else f"{smell} 냄새")
        if k == 0:
            text = ", ".join([f"{who} {do} {where}"] + extra)
            out.append((text[0].upper() + text[1:] + ".", "en"))
        else:
            out.append((" ".join(extra[:1] + [f"{where} {who} {do}"] + extra[1:]), "ko"))
    return out
