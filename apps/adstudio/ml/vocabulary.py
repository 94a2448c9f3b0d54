"""The tags a video editor searches for, and how each is decided. Pure: no ORM, no torch.

ImageNet's 1,000 classes never reach a user as they are ("bikini", "web site" on an animated
trailer). A vocabulary tag adds up the probability of the ImageNet classes that imply it (a
"groom" or a "lab coat" implies a person; every class before "abacus" is an animal), or reads a
measurement that needs no classifier (faces from the Haar cascade; sky, snow, night, fire and
vegetation from ``look.look_signals``). A tag is kept when any of its rules reaches its
threshold. The thresholds were chosen on the tuning part of the labelled keyframes
(``tests/fixtures/adstudio_tags/labels.jsonl``) with ``bench/adstudio_tags.py --tune``; a tag
with no example in that set keeps a threshold above every score its negatives reached.
Classes that imply none of these tags are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .look import look_signals

FIRST_OBJECT_CLASS = "abacus"  # ImageNet classes before it are all animals

# ImageNet classes (timm's first-name spelling) that imply a tag.
CLASSES: dict[str, tuple[str, ...]] = {
    "people": (
        "abaya",
        "academic gown",
        "apron",
        "bikini",
        "bolo tie",
        "bonnet",
        "bow tie",
        "brassiere",
        "bulletproof vest",
        "cardigan",
        "cloak",
        "cowboy hat",
        "crash helmet",
        "feather boa",
        "football helmet",
        "fur coat",
        "gown",
        "hoopskirt",
        "jean",
        "jersey",
        "kimono",
        "lab coat",
        "maillot",
        "military uniform",
        "miniskirt",
        "mortarboard",
        "neck brace",
        "overskirt",
        "pajama",
        "poncho",
        "sarong",
        "ski mask",
        "sombrero",
        "stole",
        "suit",
        "sweatshirt",
        "swimming trunks",
        "trench coat",
        "vestment",
        "wig",
        "Windsor tie",
        "ballplayer",
        "groom",
        "scuba diver",
        "lipstick",
        "sunglasses",
        "sunglass",
        "face powder",
        "bathing cap",
        "shower cap",
        "mask",
        "gasmask",
        "oxygen mask",
    ),
    "vehicles": (
        "aircraft carrier",
        "airliner",
        "airship",
        "ambulance",
        "amphibian",
        "beach wagon",
        "bicycle-built-for-two",
        "bobsled",
        "bullet train",
        "cab",
        "canoe",
        "catamaran",
        "container ship",
        "convertible",
        "dogsled",
        "electric locomotive",
        "fire engine",
        "fireboat",
        "forklift",
        "freight car",
        "garbage truck",
        "go-kart",
        "golfcart",
        "gondola",
        "half track",
        "harvester",
        "horse cart",
        "jeep",
        "jinrikisha",
        "lifeboat",
        "limousine",
        "liner",
        "minibus",
        "minivan",
        "Model T",
        "moped",
        "motor scooter",
        "mountain bike",
        "moving van",
        "oxcart",
        "passenger car",
        "pickup",
        "police van",
        "racer",
        "recreational vehicle",
        "school bus",
        "schooner",
        "snowmobile",
        "snowplow",
        "space shuttle",
        "speedboat",
        "sports car",
        "steam locomotive",
        "streetcar",
        "submarine",
        "tank",
        "tow truck",
        "tractor",
        "trailer truck",
        "trimaran",
        "trolleybus",
        "unicycle",
        "warplane",
        "yawl",
        "car wheel",
        "tricycle",
    ),
    "food": (
        "plate",
        "guacamole",
        "consomme",
        "hot pot",
        "trifle",
        "ice cream",
        "ice lolly",
        "French loaf",
        "bagel",
        "pretzel",
        "cheeseburger",
        "hotdog",
        "mashed potato",
        "head cabbage",
        "broccoli",
        "cauliflower",
        "zucchini",
        "spaghetti squash",
        "acorn squash",
        "butternut squash",
        "cucumber",
        "artichoke",
        "bell pepper",
        "cardoon",
        "mushroom",
        "Granny Smith",
        "strawberry",
        "orange",
        "lemon",
        "fig",
        "pineapple",
        "banana",
        "jackfruit",
        "custard apple",
        "pomegranate",
        "carbonara",
        "chocolate sauce",
        "dough",
        "meat loaf",
        "pizza",
        "potpie",
        "burrito",
        "red wine",
        "espresso",
        "eggnog",
        "bakery",
        "butcher shop",
        "confectionery",
        "restaurant",
        "soup bowl",
        "wok",
    ),
    "nature": (
        "alp",
        "cliff",
        "coral reef",
        "geyser",
        "lakeside",
        "promontory",
        "sandbar",
        "seashore",
        "valley",
        "volcano",
        "rapeseed",
        "daisy",
        "yellow lady's slipper",
        "corn",
        "acorn",
        "hip",
        "buckeye",
        "coral fungus",
        "agaric",
        "gyromitra",
        "stinkhorn",
        "earthstar",
        "hen-of-the-woods",
        "bolete",
        "ear",
        "hay",
    ),
    "city": (
        "street sign",
        "traffic light",
        "streetcar",
        "cab",
        "trolleybus",
        "parking meter",
        "pay-phone",
        "mailbox",
        "manhole cover",
        "triumphal arch",
        "suspension bridge",
        "steel arch bridge",
        "viaduct",
        "palace",
        "church",
        "mosque",
        "monastery",
        "castle",
        "bell cote",
        "dome",
        "cinema",
        "bookshop",
        "barbershop",
        "grocery store",
        "shoe shop",
        "tobacco shop",
        "toyshop",
        "prison",
        "tile roof",
        "water tower",
        "obelisk",
    ),
    "interior": (
        "home theater",
        "dining table",
        "bookcase",
        "wardrobe",
        "four-poster",
        "studio couch",
        "rocking chair",
        "desk",
        "china cabinet",
        "entertainment center",
        "chiffonier",
        "library",
        "shower curtain",
        "bathtub",
        "window shade",
        "wall clock",
        "table lamp",
        "quilt",
        "pillow",
        "medicine chest",
        "washbasin",
        "toilet seat",
        "sliding door",
        "lampshade",
        "crib",
        "cradle",
        "bassinet",
        "barber chair",
        "grand piano",
        "refrigerator",
        "microwave",
        "dishwasher",
        "stove",
        "television",
        "desktop computer",
        "monitor",
        "pool table",
        "folding chair",
        "theater curtain",
        "altar",
        "organ",
        "throne",
    ),
    "water": (
        "seashore",
        "lakeside",
        "sandbar",
        "coral reef",
        "breakwater",
        "dock",
        "pier",
        "boathouse",
        "fountain",
        "dam",
        "canoe",
        "catamaran",
        "container ship",
        "fireboat",
        "gondola",
        "lifeboat",
        "liner",
        "schooner",
        "speedboat",
        "submarine",
        "trimaran",
        "yawl",
        "paddle",
        "paddlewheel",
        "wreck",
        "scuba diver",
        "snorkel",
    ),
    "sky": ("airliner", "airship", "parachute", "balloon", "warplane", "space shuttle", "kite", "wing"),
    "snow": ("alp", "ski", "snowmobile", "snowplow", "dogsled", "bobsled"),
    "fire": ("torch", "candle", "matchstick", "fire screen", "volcano"),
    "text": (
        "web site",
        "book jacket",
        "menu",
        "comic book",
        "crossword puzzle",
        "scoreboard",
        "street sign",
        "envelope",
    ),
}


@dataclass(frozen=True)
class VocabularyTag:
    name: str
    kind: str  # the Tag.Kind it is stored under: "object" or "setting"
    rules: tuple  # ((signal, threshold), ...): kept when any signal reaches its threshold


# Thresholds from ``bench/adstudio_tags.py --tune`` (tuning part only). "no example": the
# tuning part has no positive, so the threshold is above every negative and at least 0.5.
# "none reached": positives exist but no threshold reached the precision asked, so the
# threshold is above every negative. Such tags are kept for footage unlike these trailers.
VOCABULARY: tuple[VocabularyTag, ...] = (
    VocabularyTag("people", "object", (("imagenet:people", 0.134), ("faces", 1))),
    VocabularyTag("faces", "object", (("faces", 1),)),
    VocabularyTag("crowd", "object", (("faces", 4),)),
    VocabularyTag("vehicles", "object", (("imagenet:vehicles", 0.532),)),  # no example
    VocabularyTag("animals", "object", (("imagenet:animals", 0.699),)),
    VocabularyTag("food", "object", (("imagenet:food", 0.5),)),  # no example
    VocabularyTag("nature", "setting", (("imagenet:nature", 0.044), ("vegetation", 0.021))),
    VocabularyTag("city", "setting", (("imagenet:city", 0.268),)),  # none reached
    VocabularyTag("interior", "setting", (("imagenet:interior", 0.152),)),  # none reached
    VocabularyTag("water", "setting", (("imagenet:water", 0.257),)),  # none reached
    VocabularyTag("sky", "setting", (("imagenet:sky", 0.024), ("sky", 0.345))),
    VocabularyTag("night", "setting", (("night", 0.5),)),  # no example
    VocabularyTag("fire", "object", (("imagenet:fire", 0.5), ("fire", 0.5))),  # no example
    VocabularyTag("snow", "setting", (("imagenet:snow", 0.205), ("snow", 0.884))),
    VocabularyTag("text on screen", "object", (("imagenet:text", 0.078),)),
)
KIND = {t.name: t.kind for t in VOCABULARY}

# Each tag's Korean name and the words (English and Korean, comma-separated) a user may type for
# it, written once for this closed vocabulary from what each tag's rules cover (the ImageNet
# classes above, the measurements). Search reads them (``ml/terms.py``): a scene's searchable
# text carries the Korean name beside the English one, and a query word listed here matches the
# tag literally. Left out on purpose: one-syllable Korean words with a common other meaning
# (새 bird/new, 배 boat/pear, 차 car/tea, 개 dog/counter, 말 horse/speech).
WORDS: dict[str, tuple[str, str]] = {
    "people": (
        "사람",
        "person, human, man, woman, men, women, girl, boy, child, children, kid, character, figure, "
        "인물, 남자, 여자, 소녀, 소년, 아이, 어린이, 아기, 노인, 할머니, 할아버지, 주인공, 캐릭터, 인간, 여성, 남성",
    ),
    "faces": ("얼굴", "face, portrait, expression, facial, 표정, 초상"),
    "crowd": ("군중", "audience, many people, group of people, 관중, 인파, 무리, 청중, 많은 사람"),
    "vehicles": (
        "차량",
        "vehicle, car, truck, bus, train, boat, ship, plane, airplane, aircraft, bicycle, bike, motorcycle, "
        "tram, 자동차, 트럭, 버스, 기차, 열차, 보트, 선박, 비행기, 자전거, 오토바이, 전차, 탈것",
    ),
    "animals": (
        "동물",
        "animal, creature, wildlife, dog, puppy, cat, bird, fish, horse, rabbit, bunny, squirrel, deer, bear, "
        "wolf, fox, monkey, insect, butterfly, snake, 짐승, 야생동물, 강아지, 고양이, 물고기, 토끼, 다람쥐, "
        "사슴, 곰, 늑대, 여우, 원숭이, 곤충, 나비, 뱀, 조류",
    ),
    "food": (
        "음식",
        "meal, dish, dinner, lunch, breakfast, fruit, vegetable, bread, eating, cooking, "
        "식사, 요리, 과일, 채소, 빵, 저녁 식사, 점심, 아침 식사",
    ),
    "nature": (
        "자연",
        "landscape, forest, woods, tree, grass, meadow, field, plant, flower, leaves, mountain, valley, "
        "cliff, countryside, garden, 풍경, 숲, 나무, 풀, 초원, 들판, 풀밭, 식물, 꽃, 나뭇잎, 산, 계곡, 절벽, "
        "시골, 정원",
    ),
    "city": (
        "도시",
        "street, town, urban, building, road, downtown, architecture, 거리, 시내, 도심, 건물, 도로, 마을, "
        "골목, 빌딩",
    ),
    "interior": (
        "실내",
        "indoors, indoor, inside, room, house, home, hall, kitchen, bedroom, 내부, 방, 집 안, 거실, 부엌, 침실",
    ),
    "water": (
        "물",
        "sea, ocean, lake, river, beach, wave, pool, underwater, shore, 바다, 호수, 강, 해변, 바닷가, 파도, "
        "수영장, 물속, 해안",
    ),
    "sky": ("하늘", "cloud, sunset, horizon, 구름, 노을, 지평선, 창공"),
    "night": ("밤", "nighttime, midnight, moonlight, 야간, 한밤, 한밤중, 야경, 달빛"),
    "fire": (
        "불",
        "flame, burning, blaze, candle, torch, explosion, 불꽃, 화염, 촛불, 횃불, 불길, 폭발, 불타는, 화재",
    ),
    "snow": ("눈", "snowy, snowfall, blizzard, winter, ice, frost, 눈보라, 설원, 겨울, 얼음, 눈밭, 설경"),
    "text on screen": (
        "화면 글자",
        "text, title, caption, subtitle, credits, words, letters, writing, logo, "
        "자막, 글자, 글씨, 문자, 텍스트, 제목, 타이틀, 크레딧, 로고",
    ),
}


@lru_cache(maxsize=4)
def _groups(names: tuple[str, ...]) -> tuple[tuple[str, ...], np.ndarray]:
    """Which classes each ImageNet group adds up: (group names, 0/1 matrix groups x classes)."""
    index = {n: i for i, n in enumerate(names)}
    groups = ["animals", *CLASSES]
    matrix = np.zeros((len(groups), len(names)), np.float32)
    matrix[0, : index[FIRST_OBJECT_CLASS]] = 1
    for row, group in enumerate(groups[1:], start=1):
        matrix[row, [index[n] for n in CLASSES[group]]] = 1
    return tuple(f"imagenet:{g}" for g in groups), matrix


def imagenet_signals(probs: np.ndarray, names: list[str]) -> dict[str, float]:
    """Each group's share of the probability, e.g. ``{"imagenet:animals": 0.71, ...}``."""
    groups, matrix = _groups(tuple(names))
    return {g: round(float(v), 4) for g, v in zip(groups, matrix @ probs)}


def frame_signals(image: np.ndarray, probs: np.ndarray, names: list[str], faces: list) -> dict[str, float]:
    """Every measurement the vocabulary's rules read, for one RGB keyframe."""
    return {**imagenet_signals(probs, names), **look_signals(image), "faces": len(faces)}


def tags_decide(signals: dict[str, float]) -> list[tuple[str, float]]:
    """The vocabulary tags that ``signals`` support, with a confidence in 0..1, best first.

    The confidence is how far the strongest rule is past its threshold, mapped so that the
    threshold itself reads 0.5 and twice the threshold (or a count at twice the minimum) 1.0.
    """
    found = []
    for tag in VOCABULARY:
        best = max((signals.get(s, 0.0) / t for s, t in tag.rules), default=0.0)
        if best >= 1:
            found.append((tag.name, round(min(1.0, best / 2), 3)))
    return sorted(found, key=lambda x: -x[1])


def rule_threshold(tag: str, signal: str) -> float:
    """The threshold of one of a tag's rules (other measurements reuse it)."""
    return dict(next(t for t in VOCABULARY if t.name == tag).rules)[signal]
