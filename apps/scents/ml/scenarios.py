"""Scenario generator: the training data of the scene -> family-profile model.

How a scenario is built (documented because the model is only as good as this table):

1. An *archetype* is a kind of scene that films return to (a neon street in the rain in
   Blade Runner, the bakery of Amelie, the trench of 1917...). Each has a few English and Korean
   wordings and a target profile over the 14 Fragrance Wheel families written from perfumery
   practice (rain -> ozonic/marine "Water" notes, wet earth and wood; a bakery -> vanillin, coumarin,
   ethyl maltol = "Soft Amber"...).
2. A *variation* adds weather, time of day, season and emotion. Each variation value has a phrase
   in both languages and a small shift of the profile (rain adds Water and Mossy Woods, night
   adds the darker ambers and woods, summer adds Citrus and Water, ...).
3. The text is the archetype wording plus the variation phrases in a random order; the structured
   fields (genre, mood, time_of_day, weather, season) are filled in about half the time, because
   users often leave them empty.
4. The target is the normalised sum of the archetype profile and the variation shifts.

Evaluation holds out *whole archetypes* (`split_archetypes`), so a test scene never shares its
core wording or its base profile with a training scene.
"""

import random
from dataclasses import dataclass, field

from .vocab import FAMILIES, GENRES

F = {name: name for name in FAMILIES}


@dataclass(frozen=True)
class Archetype:
    key: str
    film: str
    genres: tuple
    profile: dict
    en: tuple
    ko: tuple


@dataclass(frozen=True)
class Variation:
    field: str
    value: str
    shift: dict
    en: tuple
    ko: tuple


@dataclass
class Scenario:
    archetype: str
    lang: str
    description: str
    fields: dict = field(default_factory=dict)
    target: dict = field(default_factory=dict)


def _a(key, film, genres, profile, en, ko):
    return Archetype(key, film, tuple(genres), profile, tuple(en), tuple(ko))


ARCHETYPES = (
    _a(
        "rain_neon_night",
        "Blade Runner",
        ["science fiction", "crime"],
        {"Water": 0.35, "Woods": 0.15, "Woody Amber": 0.2, "Dry Woods": 0.1, "Aromatic": 0.1, "Citrus": 0.1},
        [
            "rain falls on a neon-lit street while a lone figure waits under a flickering sign",
            "wet asphalt reflects neon signs as a detective walks through the crowded city",
            "a rain-soaked city street glows with neon and steam rises from the gutters",
        ],
        [
            "네온사인이 비치는 거리에 비가 내리고 한 남자가 깜박이는 간판 아래서 기다린다",
            "젖은 아스팔트에 네온 불빛이 비치고 형사가 붐비는 도시를 걷는다",
            "비에 젖은 도시의 거리가 네온으로 빛나고 하수구에서 김이 피어오른다",
        ],
    ),
    _a(
        "rose_garden",
        "Beauty and the Beast",
        ["romance", "fantasy"],
        {"Floral": 0.5, "Green": 0.2, "Soft Floral": 0.15, "Fruity": 0.1, "Citrus": 0.05},
        [
            "two lovers walk slowly through a garden full of blooming roses",
            "she kneels among the rose bushes and breathes in the red petals",
            "a walled garden of old roses, petals scattered on the gravel path",
        ],
        [
            "두 연인이 장미가 만개한 정원을 천천히 걷는다",
            "그녀가 장미 덤불 사이에 무릎을 꿇고 붉은 꽃잎의 향을 맡는다",
            "오래된 장미가 가득한 담장 정원, 자갈길 위에 꽃잎이 흩어져 있다",
        ],
    ),
    _a(
        "bakery_morning",
        "Amelie",
        ["comedy", "romance"],
        {"Soft Amber": 0.5, "Amber": 0.12, "Floral Amber": 0.1, "Fruity": 0.1, "Citrus": 0.08, "Woods": 0.1},
        [
            "a small bakery opens its doors and warm bread comes out of the oven",
            "flour dusts the counter as the baker pulls golden croissants from the oven",
            "the smell of fresh pastries and butter fills a tiny corner bakery",
        ],
        [
            "작은 빵집이 문을 열고 오븐에서 따뜻한 빵이 나온다",
            "제빵사가 오븐에서 노릇한 크루아상을 꺼내고 카운터에 밀가루가 날린다",
            "갓 구운 페이스트리와 버터 냄새가 작은 동네 빵집을 가득 채운다",
        ],
    ),
    _a(
        "chocolaterie",
        "Chocolat",
        ["romance", "drama"],
        {"Soft Amber": 0.4, "Amber": 0.25, "Floral Amber": 0.15, "Woods": 0.1, "Fruity": 0.1},
        [
            "a chocolatier melts dark chocolate with chili and cinnamon in her shop",
            "trays of truffles and hot cocoa steam in a candlelit chocolate shop",
            "she stirs a pot of thick melted chocolate while the village watches",
        ],
        [
            "쇼콜라티에가 가게에서 칠리와 계피를 넣어 다크 초콜릿을 녹인다",
            "촛불이 켜진 초콜릿 가게에서 트러플과 핫코코아가 김을 낸다",
            "마을 사람들이 지켜보는 가운데 그녀가 녹인 초콜릿 냄비를 젓는다",
        ],
    ),
    _a(
        "beach_dawn",
        "The Beach",
        ["adventure", "drama"],
        {"Water": 0.45, "Citrus": 0.2, "Soft Floral": 0.1, "Woody Amber": 0.15, "Green": 0.1},
        [
            "waves break on an empty white beach and salt spray fills the air",
            "she runs barefoot along the shoreline as the tide comes in",
            "a lonely beach, sea foam and sun-warmed sand after a swim",
        ],
        [
            "파도가 텅 빈 하얀 해변에 부서지고 바닷물 물보라가 공기를 채운다",
            "밀물이 들어오는 해안선을 따라 그녀가 맨발로 달린다",
            "외로운 해변, 수영을 마친 뒤의 바다 거품과 햇볕에 데워진 모래",
        ],
    ),
    _a(
        "desert_caravan",
        "Lawrence of Arabia",
        ["adventure", "history"],
        {"Amber": 0.3, "Dry Woods": 0.2, "Woody Amber": 0.2, "Floral Amber": 0.15, "Soft Amber": 0.15},
        [
            "a camel caravan crosses endless dunes of burning sand",
            "a rider appears out of the shimmering desert horizon",
            "nomads rest by a fire in the desert, leather saddles and dust everywhere",
        ],
        [
            "낙타 행렬이 끝없이 펼쳐진 뜨거운 모래 언덕을 건넌다",
            "일렁이는 사막 지평선 너머에서 말을 탄 사람이 나타난다",
            "유목민들이 사막의 모닥불 곁에서 쉬고 가죽 안장과 먼지가 가득하다",
        ],
    ),
    _a(
        "spice_market",
        "Aladdin",
        ["adventure", "family"],
        {"Floral Amber": 0.35, "Amber": 0.3, "Citrus": 0.1, "Floral": 0.1, "Fruity": 0.15},
        [
            "a crowded bazaar with sacks of cinnamon, saffron and cloves",
            "merchants shout over piles of spices and dried fruit in the old market",
            "a thief runs through the spice market knocking over baskets of pepper",
        ],
        [
            "계피와 사프란과 정향 자루가 쌓인 붐비는 시장",
            "오래된 시장에서 상인들이 향신료와 말린 과일 더미 위로 소리친다",
            "도둑이 향신료 시장을 가로질러 달리며 후추 바구니를 쓰러뜨린다",
        ],
    ),
    _a(
        "pine_forest_snow",
        "The Revenant",
        ["adventure", "western"],
        {"Aromatic": 0.3, "Woods": 0.3, "Green": 0.15, "Mossy Woods": 0.1, "Water": 0.15},
        [
            "a hunter trudges through a silent pine forest heavy with snow",
            "frozen fir trees and a frozen river in the wild mountains",
            "snow falls from pine branches as wolves howl in the forest",
        ],
        [
            "사냥꾼이 눈이 무겁게 쌓인 고요한 소나무 숲을 힘겹게 걷는다",
            "얼어붙은 전나무와 얼어붙은 강이 있는 험한 산속",
            "숲에서 늑대가 울부짖고 소나무 가지에서 눈이 떨어진다",
        ],
    ),
    _a(
        "old_library",
        "The Name of the Rose",
        ["mystery", "history"],
        {"Woods": 0.25, "Dry Woods": 0.25, "Soft Amber": 0.2, "Mossy Woods": 0.1, "Amber": 0.1, "Soft Floral": 0.1},
        [
            "a monk opens a dusty leather-bound book in a vast old library",
            "candlelight on shelves of ancient manuscripts and worn wooden desks",
            "a secret room of forgotten books, old paper and beeswax",
        ],
        [
            "수도사가 거대한 옛 도서관에서 먼지 쌓인 가죽 장정 책을 펼친다",
            "고대 필사본이 꽂힌 서가와 낡은 나무 책상 위의 촛불",
            "잊힌 책들이 있는 비밀의 방, 오래된 종이와 밀랍 냄새",
        ],
    ),
    _a(
        "cathedral_incense",
        "The Godfather",
        ["crime", "drama"],
        {"Soft Amber": 0.4, "Amber": 0.3, "Woods": 0.15, "Floral": 0.05, "Aromatic": 0.1},
        [
            "incense smoke drifts through a cathedral during a baptism",
            "a priest swings a censer before the stone altar",
            "candles burn in a quiet stone church while the choir sings",
        ],
        [
            "세례식 동안 성당 안에 향 연기가 퍼진다",
            "사제가 돌 제단 앞에서 향로를 흔든다",
            "성가대가 노래하는 조용한 석조 교회에서 촛불이 타오른다",
        ],
    ),
    _a(
        "battlefield_trench",
        "1917",
        ["war", "drama"],
        {"Dry Woods": 0.4, "Mossy Woods": 0.25, "Green": 0.1, "Aromatic": 0.1, "Woods": 0.15},
        [
            "soldiers crawl through a muddy trench while shells explode nearby",
            "smoke and burnt earth over a ruined battlefield",
            "a young soldier runs across no man's land through smoke and gunfire",
        ],
        [
            "병사들이 근처에서 포탄이 터지는 가운데 진흙투성이 참호를 기어간다",
            "폐허가 된 전장 위의 연기와 불탄 흙",
            "어린 병사가 연기와 총성 속에서 무인지대를 가로질러 달린다",
        ],
    ),
    _a(
        "jazz_bar_smoke",
        "Casablanca",
        ["drama", "romance", "music"],
        {"Dry Woods": 0.25, "Amber": 0.25, "Soft Amber": 0.2, "Woody Amber": 0.15, "Woods": 0.15},
        [
            "a piano plays in a smoky bar as he pours another glass of whisky",
            "cigarette smoke curls over a jazz club full of dark wood and leather chairs",
            "a singer leans on the piano in a dim nightclub",
        ],
        [
            "그가 위스키를 한 잔 더 따르는 동안 연기 자욱한 바에서 피아노가 연주된다",
            "어두운 나무와 가죽 의자로 가득한 재즈 클럽 위로 담배 연기가 피어오른다",
            "어둑한 나이트클럽에서 가수가 피아노에 기대어 노래한다",
        ],
    ),
    _a(
        "tea_garden",
        "Memoirs of a Geisha",
        ["drama", "romance"],
        {"Green": 0.35, "Aromatic": 0.15, "Floral": 0.15, "Woods": 0.2, "Water": 0.15},
        [
            "green tea is poured in a quiet wooden teahouse beside a moss garden",
            "a tea ceremony in a paper-walled room overlooking a pond",
            "bamboo leaves rustle around a small teahouse",
        ],
        [
            "이끼 정원 옆 조용한 나무 찻집에서 녹차를 따른다",
            "연못이 내려다보이는 창호지 방에서 다도를 한다",
            "작은 찻집 주위로 대나무 잎이 바스락거린다",
        ],
    ),
    _a(
        "lavender_field",
        "A Good Year",
        ["comedy", "romance"],
        {"Aromatic": 0.5, "Floral": 0.15, "Green": 0.15, "Citrus": 0.1, "Woods": 0.1},
        [
            "rows of purple lavender stretch across the hills of Provence",
            "a car drives slowly between lavender fields and old stone farmhouses",
            "bees hum over a lavender field near a country house",
        ],
        [
            "보라색 라벤더 줄이 프로방스 언덕을 가로질러 펼쳐진다",
            "라벤더 밭과 오래된 돌 농가 사이로 자동차가 천천히 달린다",
            "시골집 근처 라벤더 밭 위로 벌들이 윙윙거린다",
        ],
    ),
    _a(
        "citrus_grove",
        "Call Me by Your Name",
        ["romance", "drama"],
        {"Citrus": 0.45, "Fruity": 0.2, "Green": 0.15, "Floral": 0.1, "Water": 0.1},
        [
            "they pick lemons and apricots in an Italian orchard",
            "sunlight through orange trees in a grove beside an old villa",
            "he bites into a ripe peach under the lemon trees",
        ],
        [
            "이탈리아 과수원에서 그들이 레몬과 살구를 딴다",
            "오래된 별장 옆 과수원의 오렌지 나무 사이로 햇빛이 비친다",
            "레몬 나무 아래에서 그가 잘 익은 복숭아를 베어 문다",
        ],
    ),
    _a(
        "tropical_jungle",
        "Apocalypse Now",
        ["war", "adventure"],
        {"Green": 0.45, "Mossy Woods": 0.2, "Fruity": 0.1, "Floral": 0.1, "Water": 0.15},
        [
            "a patrol boat moves up a river through dense steaming jungle",
            "giant leaves drip with water in the humid rainforest",
            "explorers cut through vines and ferns deep in the jungle",
        ],
        [
            "순찰선이 김이 피어오르는 빽빽한 정글 사이로 강을 거슬러 올라간다",
            "습한 열대우림에서 거대한 잎사귀에 물방울이 떨어진다",
            "탐험가들이 정글 깊은 곳에서 덩굴과 고사리를 헤치고 나아간다",
        ],
    ),
    _a(
        "haunted_mansion",
        "The Others",
        ["horror", "mystery"],
        {"Mossy Woods": 0.3, "Dry Woods": 0.2, "Woods": 0.2, "Amber": 0.1, "Soft Floral": 0.1, "Green": 0.1},
        [
            "a candle flickers in the damp hallway of an abandoned mansion",
            "dust sheets cover the furniture of a house where a ghost walks",
            "a door creaks open onto a cold cellar full of old trunks",
        ],
        [
            "버려진 저택의 눅눅한 복도에서 촛불이 흔들린다",
            "유령이 걸어다니는 집의 가구들이 먼지 천으로 덮여 있다",
            "삐걱거리며 문이 열리고 오래된 트렁크로 가득한 차가운 지하실이 나온다",
        ],
    ),
    _a(
        "ballroom_gala",
        "The Great Gatsby",
        ["drama", "romance"],
        {"Soft Floral": 0.35, "Floral": 0.3, "Floral Amber": 0.15, "Citrus": 0.1, "Fruity": 0.1},
        [
            "champagne glasses clink at a glittering party in a grand ballroom",
            "women in silk gowns dance under chandeliers as fireworks burst outside",
            "a lavish mansion party with an orchestra and towers of champagne",
        ],
        [
            "화려한 무도회장에서 샴페인 잔이 부딪힌다",
            "샹들리에 아래 실크 드레스를 입은 여인들이 춤추고 밖에서는 불꽃이 터진다",
            "오케스트라와 샴페인 탑이 있는 호화로운 저택 파티",
        ],
    ),
    _a(
        "wedding_white_flowers",
        "Father of the Bride",
        ["comedy", "family", "romance"],
        {"Floral": 0.45, "Floral Amber": 0.25, "Soft Floral": 0.2, "Citrus": 0.1},
        [
            "the bride walks down an aisle lined with white jasmine and orange blossom",
            "a wedding bouquet of tuberose and gardenia in her hands",
            "guests throw petals as the newlyweds leave the chapel",
        ],
        [
            "신부가 하얀 재스민과 오렌지 꽃이 늘어선 통로를 걸어간다",
            "그녀의 손에 들린 월하향과 치자꽃 부케",
            "신혼부부가 예배당을 나설 때 하객들이 꽃잎을 뿌린다",
        ],
    ),
    _a(
        "space_station",
        "2001: A Space Odyssey",
        ["science fiction"],
        {"Water": 0.3, "Soft Floral": 0.2, "Woody Amber": 0.25, "Aromatic": 0.15, "Citrus": 0.1},
        [
            "an astronaut floats through the white corridors of a silent space station",
            "cold metal and recycled air inside a spaceship drifting past Jupiter",
            "a lone pilot looks at the stars through the window of her capsule",
        ],
        [
            "우주비행사가 고요한 우주정거장의 하얀 복도를 떠다닌다",
            "목성 곁을 떠도는 우주선 안의 차가운 금속과 재순환된 공기",
            "외로운 조종사가 캡슐 창문으로 별을 바라본다",
        ],
    ),
    _a(
        "car_chase_city",
        "Drive",
        ["action", "crime"],
        {"Dry Woods": 0.3, "Woody Amber": 0.25, "Aromatic": 0.2, "Citrus": 0.1, "Amber": 0.15},
        [
            "a getaway car races through the city with tires screaming",
            "a driver in a leather jacket speeds down the highway, engine roaring",
            "burning rubber and gasoline as two cars chase through a tunnel",
        ],
        [
            "도주 차량이 타이어 마찰음을 내며 도시를 질주한다",
            "가죽 재킷을 입은 운전자가 엔진 굉음을 내며 고속도로를 달린다",
            "두 대의 차가 터널을 추격하며 고무 타는 냄새와 휘발유 냄새가 난다",
        ],
    ),
    _a(
        "western_saloon",
        "The Good, the Bad and the Ugly",
        ["western", "action"],
        {"Dry Woods": 0.35, "Woods": 0.25, "Amber": 0.2, "Aromatic": 0.1, "Soft Amber": 0.1},
        [
            "a gunslinger pushes open the doors of a dusty saloon",
            "cowboys drink whiskey by a wooden bar as tobacco smoke hangs in the air",
            "a standoff on a sunbaked main street, leather holsters and dust",
        ],
        [
            "총잡이가 먼지투성이 술집의 문을 밀고 들어온다",
            "카우보이들이 나무 바에서 위스키를 마시고 담배 연기가 공중에 걸려 있다",
            "햇볕에 달궈진 큰길에서의 대치, 가죽 권총집과 흙먼지",
        ],
    ),
    _a(
        "mountain_summit",
        "Everest",
        ["adventure", "drama"],
        {"Aromatic": 0.3, "Water": 0.25, "Green": 0.15, "Woods": 0.15, "Citrus": 0.15},
        [
            "climbers reach an icy summit as thin cold air burns their lungs",
            "a climber clings to a rock face high above the clouds",
            "wind whips across a snowy ridge at the top of the world",
        ],
        [
            "등반가들이 얼음 덮인 정상에 오르고 희박한 찬 공기가 폐를 태운다",
            "한 등반가가 구름 위 높은 암벽에 매달려 있다",
            "세상 꼭대기 눈 덮인 능선 위로 바람이 몰아친다",
        ],
    ),
    _a(
        "alpine_meadow",
        "The Sound of Music",
        ["music", "family"],
        {"Green": 0.4, "Floral": 0.2, "Aromatic": 0.2, "Fruity": 0.1, "Citrus": 0.1},
        [
            "she spins and sings on a green meadow in the mountains",
            "children run through tall grass and wildflowers on a hillside",
            "cows graze on a sunny alpine pasture full of wild herbs",
        ],
        [
            "그녀가 산속 푸른 초원에서 빙글빙글 돌며 노래한다",
            "아이들이 언덕의 키 큰 풀과 들꽃 사이를 달린다",
            "들풀이 가득한 햇살 좋은 알프스 목초지에서 소들이 풀을 뜯는다",
        ],
    ),
    _a(
        "orchard_picnic",
        "Little Women",
        ["drama", "family"],
        {"Fruity": 0.4, "Green": 0.2, "Floral": 0.2, "Citrus": 0.1, "Soft Amber": 0.1},
        [
            "sisters share a picnic of apples and pears under the orchard trees",
            "a basket of ripe fruit on a blanket in a summer orchard",
            "they climb apple trees and laugh as fruit falls into the grass",
        ],
        [
            "자매들이 과수원 나무 아래에서 사과와 배로 소풍을 즐긴다",
            "여름 과수원의 담요 위에 놓인 잘 익은 과일 바구니",
            "그들이 사과나무에 올라가 풀밭에 떨어지는 과일을 보며 웃는다",
        ],
    ),
    _a(
        "fairground_candy",
        "Big",
        ["comedy", "family"],
        {"Soft Amber": 0.35, "Fruity": 0.35, "Citrus": 0.1, "Floral Amber": 0.1, "Soft Floral": 0.1},
        [
            "kids eat cotton candy and caramel apples at a bright fairground",
            "a carousel turns among stalls selling popcorn and sweets",
            "a boy wins a prize at the fair and buys pink candy floss",
        ],
        [
            "아이들이 화려한 놀이공원에서 솜사탕과 캐러멜 사과를 먹는다",
            "팝콘과 사탕을 파는 가판대 사이로 회전목마가 돈다",
            "소년이 축제에서 상품을 타고 분홍색 솜사탕을 산다",
        ],
    ),
    _a(
        "herb_kitchen",
        "Ratatouille",
        ["animation", "comedy"],
        {"Aromatic": 0.35, "Citrus": 0.2, "Green": 0.15, "Floral Amber": 0.15, "Fruity": 0.15},
        [
            "a chef chops basil, thyme and garlic in a busy restaurant kitchen",
            "pots of tomato sauce simmer with fresh herbs on the stove",
            "a little cook tastes a soup full of rosemary and lemon",
        ],
        [
            "요리사가 바쁜 식당 주방에서 바질과 타임과 마늘을 썬다",
            "신선한 허브를 넣은 토마토소스 냄비가 불 위에서 끓는다",
            "작은 요리사가 로즈마리와 레몬이 든 수프를 맛본다",
        ],
    ),
    _a(
        "hospital_sterile",
        "Contagion",
        ["thriller", "drama"],
        {"Aromatic": 0.3, "Water": 0.2, "Soft Floral": 0.25, "Citrus": 0.15, "Green": 0.1},
        [
            "doctors in masks hurry down a bright sterile hospital corridor",
            "a patient wakes in a white room that smells of disinfectant",
            "scientists work in a clean laboratory under cold lights",
        ],
        [
            "마스크를 쓴 의사들이 밝고 소독된 병원 복도를 서둘러 지나간다",
            "환자가 소독약 냄새가 나는 하얀 병실에서 깨어난다",
            "과학자들이 차가운 조명 아래 깨끗한 실험실에서 일한다",
        ],
    ),
    _a(
        "lovers_night",
        "In the Mood for Love",
        ["romance", "drama"],
        {"Floral Amber": 0.3, "Soft Amber": 0.25, "Floral": 0.2, "Woods": 0.15, "Amber": 0.1},
        [
            "two lovers meet secretly in a dim hotel room, silk and perfume",
            "she brushes past him on a narrow staircase in a qipao",
            "a slow dance in a candlelit room, skin and warm sheets",
        ],
        [
            "두 연인이 어둑한 호텔 방에서 몰래 만나고 실크와 향수 냄새가 감돈다",
            "치파오를 입은 그녀가 좁은 계단에서 그를 스치고 지나간다",
            "촛불이 켜진 방에서의 느린 춤, 피부와 따뜻한 이불",
        ],
    ),
    _a(
        "autumn_forest",
        "Dead Poets Society",
        ["drama"],
        {"Mossy Woods": 0.3, "Woods": 0.3, "Green": 0.1, "Fruity": 0.1, "Amber": 0.1, "Aromatic": 0.1},
        [
            "students walk through a forest of red and golden leaves",
            "damp leaves and mushrooms on the forest floor after the first frost",
            "a boy reads poetry in a cave hidden in the autumn woods",
        ],
        [
            "학생들이 붉고 노란 잎이 가득한 숲을 걷는다",
            "첫서리가 내린 뒤 숲 바닥의 축축한 낙엽과 버섯",
            "소년이 가을 숲속에 숨겨진 동굴에서 시를 읽는다",
        ],
    ),
    _a(
        "ship_deck_storm",
        "Master and Commander",
        ["adventure", "war"],
        {"Water": 0.4, "Woods": 0.2, "Dry Woods": 0.15, "Aromatic": 0.15, "Citrus": 0.1},
        [
            "sailors haul ropes on the deck of a tall ship as huge waves crash",
            "tar, wet timber and salt on a wooden warship at sea",
            "the captain stands at the helm as spray soaks the sails",
        ],
        [
            "거대한 파도가 부서지는 가운데 선원들이 범선 갑판에서 밧줄을 당긴다",
            "바다 위 나무 군함의 타르와 젖은 목재와 소금",
            "물보라가 돛을 적시는 가운데 선장이 키를 잡고 서 있다",
        ],
    ),
    _a(
        "underwater",
        "The Abyss",
        ["science fiction", "adventure"],
        {"Water": 0.55, "Green": 0.15, "Soft Floral": 0.1, "Aromatic": 0.1, "Citrus": 0.1},
        [
            "a diver sinks into deep blue water among drifting seaweed",
            "light ripples over a coral reef as fish swim past",
            "a submarine glides through the silent dark of the ocean",
        ],
        [
            "잠수부가 떠다니는 해초 사이로 깊고 푸른 물속에 가라앉는다",
            "물고기들이 헤엄치는 산호초 위로 빛이 일렁인다",
            "잠수함이 고요하고 어두운 바다 속을 미끄러지듯 나아간다",
        ],
    ),
    _a(
        "noir_office",
        "The Maltese Falcon",
        ["crime", "mystery"],
        {"Dry Woods": 0.3, "Woods": 0.2, "Amber": 0.2, "Soft Amber": 0.1, "Aromatic": 0.1, "Woody Amber": 0.1},
        [
            "a private eye smokes behind his desk as blinds cut the light into stripes",
            "a detective pours bourbon in an office of old leather and wood",
            "a stranger in a trench coat enters the detective's dark office",
        ],
        [
            "사립탐정이 블라인드 사이로 빛이 줄무늬로 들어오는 책상 뒤에서 담배를 피운다",
            "형사가 낡은 가죽과 나무로 된 사무실에서 버번을 따른다",
            "트렌치코트를 입은 낯선 사람이 탐정의 어두운 사무실로 들어온다",
        ],
    ),
    _a(
        "royal_throne",
        "The Crown",
        ["history", "drama"],
        {"Amber": 0.35, "Woody Amber": 0.2, "Floral": 0.15, "Soft Amber": 0.15, "Woods": 0.15},
        [
            "a queen sits on a gilded throne in a hall of velvet and gold",
            "courtiers bow in a palace filled with resin candles and roses",
            "a coronation in an ancient abbey under banners",
        ],
        [
            "여왕이 벨벳과 금으로 장식된 홀의 도금된 왕좌에 앉아 있다",
            "송진 양초와 장미로 가득한 궁전에서 신하들이 절을 한다",
            "깃발 아래 오래된 사원에서 열리는 대관식",
        ],
    ),
    _a(
        "temple_hanok",
        "Spring, Summer, Fall, Winter... and Spring",
        ["drama"],
        {"Woods": 0.3, "Soft Amber": 0.25, "Green": 0.2, "Aromatic": 0.1, "Water": 0.15},
        [
            "a monk sweeps the yard of a mountain temple beside a lake",
            "incense burns in a wooden hall with paper doors",
            "an old wooden house with a tiled roof in a quiet village",
        ],
        [
            "스님이 호숫가 산사의 마당을 쓴다",
            "창호지 문이 있는 나무 법당에서 향이 탄다",
            "조용한 마을의 기와지붕을 얹은 오래된 한옥",
        ],
    ),
    _a(
        "cherry_blossom",
        "Your Name",
        ["animation", "romance"],
        {"Soft Floral": 0.35, "Floral": 0.3, "Fruity": 0.15, "Green": 0.1, "Citrus": 0.1},
        [
            "cherry blossoms fall like snow over a riverside path",
            "students walk under pink blossom trees on the way to school",
            "petals drift onto a bench where two friends share a secret",
        ],
        [
            "강변 산책로 위로 벚꽃이 눈처럼 흩날린다",
            "학생들이 등굣길에 분홍빛 벚꽃 나무 아래를 걷는다",
            "두 친구가 비밀을 나누는 벤치 위로 꽃잎이 내려앉는다",
        ],
    ),
    _a(
        "zombie_ruins",
        "Train to Busan",
        ["horror", "action"],
        {"Dry Woods": 0.35, "Mossy Woods": 0.25, "Aromatic": 0.15, "Water": 0.1, "Woods": 0.15},
        [
            "survivors run through a burning station as the infected close in",
            "smoke rises from wrecked cars in an abandoned city",
            "a father shields his daughter in a dark train carriage full of blood and ash",
        ],
        [
            "감염자들이 몰려오는 가운데 생존자들이 불타는 역을 가로질러 달린다",
            "버려진 도시의 부서진 차들에서 연기가 피어오른다",
            "아버지가 피와 재로 가득한 어두운 기차 칸에서 딸을 감싼다",
        ],
    ),
    _a(
        "fireplace_christmas",
        "Home Alone",
        ["comedy", "family"],
        {"Soft Amber": 0.3, "Floral Amber": 0.25, "Dry Woods": 0.15, "Woods": 0.15, "Citrus": 0.15},
        [
            "a family gathers by the fireplace with gingerbread and mulled wine",
            "a boy decorates the Christmas tree while cookies bake",
            "logs crackle in the fireplace and oranges studded with cloves sit on the table",
        ],
        [
            "가족이 생강 쿠키와 뱅쇼를 두고 벽난로 곁에 모인다",
            "쿠키가 구워지는 동안 소년이 크리스마스트리를 장식한다",
            "벽난로에서 장작이 타닥거리고 식탁에는 정향을 꽂은 오렌지가 놓여 있다",
        ],
    ),
    _a(
        "clean_laundry",
        "Notting Hill",
        ["romance", "comedy"],
        {"Soft Floral": 0.45, "Water": 0.2, "Citrus": 0.15, "Floral": 0.1, "Green": 0.1},
        [
            "white sheets dry on a line in the sun behind a small house",
            "she folds warm laundry fresh from the dryer",
            "a cosy bedroom with crisp clean linen and an open window",
        ],
        [
            "작은 집 뒤 햇볕 아래 빨랫줄에 하얀 시트가 마른다",
            "그녀가 건조기에서 갓 꺼낸 따뜻한 빨래를 갠다",
            "바삭하고 깨끗한 리넨과 열린 창문이 있는 아늑한 침실",
        ],
    ),
    _a(
        "greenhouse",
        "Adaptation",
        ["drama", "comedy"],
        {"Green": 0.35, "Floral": 0.35, "Water": 0.15, "Fruity": 0.1, "Mossy Woods": 0.05},
        [
            "a collector tends rare orchids in a humid glass greenhouse",
            "water drips from ferns and flowering vines under a glass roof",
            "a botanist examines a white orchid in a steamy conservatory",
        ],
        [
            "수집가가 습한 유리 온실에서 희귀한 난초를 돌본다",
            "유리 지붕 아래 고사리와 꽃 핀 덩굴에서 물이 떨어진다",
            "식물학자가 김이 서린 온실에서 하얀 난초를 살펴본다",
        ],
    ),
    _a(
        "vineyard_harvest",
        "Sideways",
        ["comedy", "drama"],
        {"Fruity": 0.35, "Woods": 0.2, "Green": 0.15, "Amber": 0.15, "Citrus": 0.15},
        [
            "friends taste red wine in a cellar among oak barrels",
            "workers harvest dark grapes in a sunny vineyard",
            "a wine glass swirls on a terrace overlooking the vines",
        ],
        [
            "친구들이 오크통 사이 지하 저장고에서 레드 와인을 맛본다",
            "일꾼들이 햇살 좋은 포도밭에서 검은 포도를 수확한다",
            "포도밭이 내려다보이는 테라스에서 와인 잔이 돈다",
        ],
    ),
    _a(
        "rainy_cafe",
        "Before Sunrise",
        ["romance", "drama"],
        {"Soft Amber": 0.25, "Water": 0.25, "Woods": 0.2, "Amber": 0.1, "Floral": 0.1, "Citrus": 0.1},
        [
            "two strangers talk for hours in a small cafe while rain streaks the window",
            "steam rises from coffee cups beside a rain-blurred window",
            "she writes in a notebook at a corner table of a quiet coffee shop",
        ],
        [
            "비가 창문을 타고 흐르는 작은 카페에서 두 낯선 사람이 몇 시간 동안 이야기한다",
            "빗물에 흐려진 창가의 커피잔에서 김이 피어오른다",
            "그녀가 조용한 커피숍 구석 자리에서 노트에 글을 쓴다",
        ],
    ),
    _a(
        "boxing_gym",
        "Rocky",
        ["drama", "action"],
        {"Aromatic": 0.3, "Dry Woods": 0.25, "Woody Amber": 0.2, "Citrus": 0.15, "Woods": 0.1},
        [
            "a boxer pounds a heavy bag in a sweaty old gym",
            "leather gloves, chalk and sweat as a fighter trains before dawn",
            "he runs up the steps and raises his fists",
        ],
        [
            "권투 선수가 땀 냄새 나는 낡은 체육관에서 샌드백을 두드린다",
            "새벽 전에 훈련하는 선수의 가죽 글러브와 분필과 땀",
            "그가 계단을 뛰어올라 주먹을 치켜든다",
        ],
    ),
    _a(
        "steam_train",
        "Anna Karenina",
        ["drama", "history", "romance"],
        {"Dry Woods": 0.35, "Woods": 0.2, "Amber": 0.15, "Aromatic": 0.1, "Soft Floral": 0.1, "Water": 0.1},
        [
            "a steam locomotive pulls into a crowded station in clouds of coal smoke",
            "passengers wait on a platform as the train whistle sounds",
            "a woman in furs steps off the train into the steam",
        ],
        [
            "증기기관차가 석탄 연기를 내뿜으며 붐비는 역으로 들어온다",
            "기차 기적 소리가 울리는 동안 승객들이 승강장에서 기다린다",
            "모피를 입은 여인이 증기 속으로 기차에서 내린다",
        ],
    ),
    _a(
        "hanbok_market_food",
        "Ode to My Father",
        ["drama", "history"],
        {"Floral Amber": 0.25, "Amber": 0.2, "Aromatic": 0.2, "Woods": 0.15, "Fruity": 0.1, "Citrus": 0.1},
        [
            "vendors grill skewers and boil broth at a crowded night market",
            "the steam of dumplings and sesame oil in a narrow market alley",
            "an old woman sells roasted chestnuts and sweet potatoes from a cart",
        ],
        [
            "상인들이 붐비는 야시장에서 꼬치를 굽고 국물을 끓인다",
            "좁은 시장 골목의 만두 김과 참기름 냄새",
            "할머니가 수레에서 군밤과 군고구마를 판다",
        ],
    ),
)


def _v(field, value, shift, en, ko):
    return Variation(field, value, shift, tuple(en), tuple(ko))


VARIATIONS = (
    _v(
        "weather",
        "clear",
        {"Citrus": 0.1, "Green": 0.05},
        ["under a clear sky", "in bright sunshine"],
        ["맑은 하늘 아래", "햇살이 눈부신 날"],
    ),
    _v(
        "weather",
        "rain",
        {"Water": 0.25, "Mossy Woods": 0.1, "Woods": 0.05},
        ["in the pouring rain", "as rain drums on the roof", "under a steady drizzle"],
        ["비가 쏟아지는 가운데", "빗소리가 지붕을 두드리고", "가랑비가 내리는 날"],
    ),
    _v(
        "weather",
        "snow",
        {"Aromatic": 0.12, "Woods": 0.1, "Soft Floral": 0.08},
        ["while snow falls softly", "in deep snow"],
        ["눈이 소복이 내리는 가운데", "함박눈 속에서"],
    ),
    _v(
        "weather",
        "fog",
        {"Water": 0.1, "Mossy Woods": 0.15, "Green": 0.05},
        ["in thick fog", "through a grey mist"],
        ["짙은 안개 속에서", "희뿌연 안개가 낀 날"],
    ),
    _v(
        "weather",
        "storm",
        {"Water": 0.2, "Dry Woods": 0.1, "Aromatic": 0.1},
        ["as thunder cracks overhead", "in a violent storm"],
        ["천둥이 치는 폭풍 속에서", "거센 폭풍우가 몰아치는 가운데"],
    ),
    _v(
        "weather",
        "heat",
        {"Amber": 0.1, "Citrus": 0.1, "Woody Amber": 0.1},
        ["in sweltering heat", "under a scorching sun"],
        ["숨막히는 더위 속에서", "뜨거운 태양 아래"],
    ),
    _v(
        "weather",
        "wind",
        {"Aromatic": 0.1, "Water": 0.1, "Green": 0.1},
        ["as a cold wind blows", "in a gusty wind"],
        ["찬 바람이 부는 가운데", "바람이 세차게 부는 날"],
    ),
    _v(
        "time_of_day",
        "dawn",
        {"Citrus": 0.1, "Green": 0.1, "Water": 0.05},
        ["at dawn", "as the first light breaks"],
        ["새벽에", "동틀 무렵"],
    ),
    _v(
        "time_of_day",
        "morning",
        {"Citrus": 0.15, "Green": 0.05},
        ["in the morning", "early in the morning"],
        ["아침에", "이른 아침"],
    ),
    _v("time_of_day", "noon", {"Citrus": 0.1, "Fruity": 0.05}, ["at noon", "at midday"], ["한낮에", "정오에"]),
    _v(
        "time_of_day",
        "afternoon",
        {"Fruity": 0.05, "Floral": 0.05},
        ["in the afternoon", "on a lazy afternoon"],
        ["오후에", "나른한 오후"],
    ),
    _v(
        "time_of_day",
        "dusk",
        {"Amber": 0.1, "Floral Amber": 0.05, "Woods": 0.05},
        ["at dusk", "as the sun sets"],
        ["해질녘에", "노을이 지는 저녁"],
    ),
    _v(
        "time_of_day",
        "night",
        {"Woody Amber": 0.1, "Amber": 0.1, "Woods": 0.1},
        ["at night", "late at night", "in the dead of night"],
        ["밤에", "늦은 밤", "한밤중에"],
    ),
    _v("season", "spring", {"Floral": 0.1, "Green": 0.1}, ["in spring", "on a spring day"], ["봄날", "봄에"]),
    _v(
        "season",
        "summer",
        {"Citrus": 0.1, "Water": 0.1, "Fruity": 0.05},
        ["in midsummer", "on a summer day"],
        ["한여름에", "여름날"],
    ),
    _v(
        "season",
        "autumn",
        {"Woods": 0.1, "Mossy Woods": 0.05, "Fruity": 0.05, "Amber": 0.05},
        ["in autumn", "among falling leaves"],
        ["가을에", "낙엽이 지는 가을"],
    ),
    _v(
        "season",
        "winter",
        {"Soft Amber": 0.1, "Woods": 0.05, "Aromatic": 0.05},
        ["in winter", "in the depth of winter"],
        ["겨울에", "한겨울에"],
    ),
    _v(
        "mood",
        "romantic",
        {"Floral": 0.1, "Soft Amber": 0.05, "Floral Amber": 0.05},
        ["full of tender longing", "as their eyes meet"],
        ["설레는 마음으로", "두 사람의 눈빛이 마주치고"],
    ),
    _v(
        "mood",
        "tense",
        {"Dry Woods": 0.1, "Aromatic": 0.05, "Woody Amber": 0.05},
        ["with unbearable tension", "as danger closes in"],
        ["숨막히는 긴장감 속에서", "위험이 다가오고"],
    ),
    _v(
        "mood",
        "melancholic",
        {"Mossy Woods": 0.1, "Soft Floral": 0.05, "Woods": 0.05},
        ["in quiet sorrow", "with a heavy heart"],
        ["쓸쓸한 슬픔 속에서", "무거운 마음으로"],
    ),
    _v(
        "mood",
        "joyful",
        {"Citrus": 0.1, "Fruity": 0.1},
        ["with bursting joy", "amid laughter"],
        ["웃음이 넘치고", "기쁨에 가득 차"],
    ),
    _v(
        "mood",
        "eerie",
        {"Mossy Woods": 0.1, "Dry Woods": 0.1},
        ["in an eerie silence", "as something unseen watches"],
        ["으스스한 정적 속에서", "보이지 않는 무언가가 지켜보고"],
    ),
    _v(
        "mood",
        "nostalgic",
        {"Soft Amber": 0.1, "Soft Floral": 0.05},
        ["like a fading memory", "with bittersweet nostalgia"],
        ["아련한 추억처럼", "그리운 향수에 젖어"],
    ),
    _v(
        "mood",
        "triumphant",
        {"Woody Amber": 0.1, "Amber": 0.05, "Citrus": 0.05},
        ["in a moment of triumph", "as the crowd roars"],
        ["승리의 순간에", "환호성이 터지고"],
    ),
    _v(
        "mood",
        "serene",
        {"Green": 0.05, "Water": 0.05, "Woods": 0.05, "Aromatic": 0.05},
        ["in perfect calm", "peaceful and still"],
        ["고요하고 평화롭게", "잔잔한 평온 속에서"],
    ),
    _v(
        "mood",
        "mysterious",
        {"Amber": 0.1, "Woody Amber": 0.05},
        ["shrouded in mystery", "full of secrets"],
        ["신비로운 분위기 속에서", "비밀을 품은 채"],
    ),
)
VARIATIONS_BY_FIELD = {}
for _var in VARIATIONS:
    VARIATIONS_BY_FIELD.setdefault(_var.field, []).append(_var)


def split_archetypes(seed=7, test_share=0.15, val_share=0.15):
    """Deterministic split of archetype keys into (train, val, test)."""
    keys = sorted(a.key for a in ARCHETYPES)
    random.Random(seed).shuffle(keys)
    n_test = max(1, round(len(keys) * test_share))
    n_val = max(1, round(len(keys) * val_share))
    return keys[n_test + n_val :], keys[n_test : n_test + n_val], keys[:n_test]


def _normalise(profile):
    total = sum(profile.values())
    return {k: round(v / total, 6) for k, v in profile.items() if v > 0}


def scenario_make(archetype, lang, rng):
    """One scenario: archetype wording + 0-4 variations, fields given about half the time."""
    core = rng.choice(archetype.ko if lang == "ko" else archetype.en)
    phrases, fields = [core], {}
    profile = dict(archetype.profile)
    for field_name, options in VARIATIONS_BY_FIELD.items():
        if rng.random() < 0.45:
            continue
        var = rng.choice(options)
        phrases.append(rng.choice(var.ko if lang == "ko" else var.en))
        for fam, delta in var.shift.items():
            profile[fam] = profile.get(fam, 0.0) + delta
        if rng.random() < 0.5:
            fields[field_name] = var.value
    if rng.random() < 0.5:
        fields["genre"] = rng.choice(archetype.genres)
    head, tail = phrases[0], phrases[1:]
    rng.shuffle(tail)
    if lang == "ko":
        text = " ".join(tail + [head]) if rng.random() < 0.5 else " ".join([head] + tail)
    else:
        text = ", ".join([head] + tail) if rng.random() < 0.6 else ", ".join(tail + [head])
        text = text[0].upper() + text[1:] + "."
    return Scenario(archetype.key, lang, text, fields, _normalise(profile))


def scenarios_generate(*, keys=None, per_archetype=40, seed=0, langs=("en", "ko")):
    """Scenarios for the given archetype keys (all when None), deterministic for a seed."""
    rng = random.Random(seed)
    wanted = set(keys) if keys is not None else None
    out = []
    for arch in ARCHETYPES:
        if wanted is not None and arch.key not in wanted:
            continue
        for lang in langs:
            for _ in range(per_archetype):
                out.append(scenario_make(arch, lang, rng))
    return out


def _check_tables():
    for arch in ARCHETYPES:
        assert set(arch.profile) <= set(FAMILIES), arch.key
        assert set(arch.genres) <= set(GENRES), arch.key
    for var in VARIATIONS:
        assert set(var.shift) <= set(FAMILIES), var.value


_check_tables()


# Smell concepts: single things a scene can smell of, with the families a perfumer reaches for.
# They teach the model vocabulary (in both languages) beyond the archetypes; they are not scenes,
# so they sit in every split and held-out metrics are still measured on unseen archetypes only.
CONCEPTS = (
    (["rain", "wet pavement"], ["비", "젖은 보도"], {"Water": 0.6, "Mossy Woods": 0.2, "Woods": 0.2}),
    (
        ["sea", "ocean", "salt spray"],
        ["바다", "바닷물", "짠 물보라"],
        {"Water": 0.7, "Citrus": 0.15, "Woody Amber": 0.15},
    ),
    (["river", "lake", "waterfall"], ["강", "호수", "폭포"], {"Water": 0.6, "Green": 0.3, "Mossy Woods": 0.1}),
    (["snow", "ice", "frost"], ["눈", "얼음", "서리"], {"Aromatic": 0.4, "Water": 0.3, "Soft Floral": 0.3}),
    (["roses", "rose petals"], ["장미", "장미 꽃잎"], {"Floral": 0.75, "Fruity": 0.1, "Green": 0.15}),
    (
        ["jasmine", "white flowers", "gardenia"],
        ["재스민", "하얀 꽃", "치자꽃"],
        {"Floral": 0.6, "Floral Amber": 0.3, "Soft Floral": 0.1},
    ),
    (["orange blossom", "tuberose"], ["오렌지 꽃", "월하향"], {"Floral Amber": 0.5, "Floral": 0.4, "Citrus": 0.1}),
    (
        ["violets", "iris", "face powder"],
        ["제비꽃", "붓꽃", "분가루"],
        {"Soft Floral": 0.75, "Floral": 0.15, "Woods": 0.1},
    ),
    (["peonies", "lilies", "flower shop"], ["작약", "백합", "꽃집"], {"Floral": 0.7, "Green": 0.2, "Soft Floral": 0.1}),
    (["cherry blossom", "magnolia"], ["벚꽃", "목련"], {"Soft Floral": 0.5, "Floral": 0.4, "Fruity": 0.1}),
    (
        ["clean laundry", "soap", "fresh sheets"],
        ["깨끗한 빨래", "비누", "새 이불"],
        {"Soft Floral": 0.6, "Citrus": 0.2, "Water": 0.2},
    ),
    (
        ["aldehydes", "champagne", "silk gowns"],
        ["알데하이드", "샴페인", "실크 드레스"],
        {"Soft Floral": 0.5, "Citrus": 0.2, "Floral": 0.3},
    ),
    (["vanilla", "custard"], ["바닐라", "커스터드"], {"Soft Amber": 0.8, "Amber": 0.2}),
    (
        ["fresh bread", "pastry", "croissants"],
        ["갓 구운 빵", "페이스트리", "크루아상"],
        {"Soft Amber": 0.7, "Woods": 0.15, "Amber": 0.15},
    ),
    (
        ["caramel", "candy", "cotton candy", "honey"],
        ["캐러멜", "사탕", "솜사탕", "꿀"],
        {"Soft Amber": 0.6, "Fruity": 0.3, "Amber": 0.1},
    ),
    (["chocolate", "cocoa", "coffee"], ["초콜릿", "코코아", "커피"], {"Soft Amber": 0.5, "Amber": 0.25, "Woods": 0.25}),
    (
        ["cake", "cookies", "biscuits"],
        ["케이크", "쿠키", "비스킷"],
        {"Soft Amber": 0.7, "Fruity": 0.15, "Floral Amber": 0.15},
    ),
    (["incense", "frankincense", "church"], ["향", "유향", "성당"], {"Soft Amber": 0.55, "Amber": 0.3, "Woods": 0.15}),
    (
        ["amber", "resin", "myrrh", "balsam"],
        ["호박", "송진", "몰약", "발삼"],
        {"Amber": 0.7, "Soft Amber": 0.2, "Woody Amber": 0.1},
    ),
    (
        ["cinnamon", "cloves", "nutmeg", "ginger"],
        ["계피", "정향", "육두구", "생강"],
        {"Floral Amber": 0.6, "Amber": 0.3, "Citrus": 0.1},
    ),
    (
        ["saffron", "cumin", "spice market", "curry"],
        ["사프란", "커민", "향신료 시장", "카레"],
        {"Floral Amber": 0.5, "Amber": 0.4, "Woods": 0.1},
    ),
    (["pepper", "cardamom"], ["후추", "카다몸"], {"Aromatic": 0.5, "Floral Amber": 0.3, "Woods": 0.2}),
    (
        ["mulled wine", "gingerbread", "christmas"],
        ["뱅쇼", "생강 쿠키", "크리스마스"],
        {"Floral Amber": 0.4, "Soft Amber": 0.4, "Citrus": 0.2},
    ),
    (["wood", "timber", "sawdust"], ["나무", "목재", "톱밥"], {"Woods": 0.8, "Dry Woods": 0.1, "Woody Amber": 0.1}),
    (
        ["cedar", "pencil shavings", "oak barrels"],
        ["삼나무", "연필 깎은 부스러기", "오크통"],
        {"Woods": 0.8, "Dry Woods": 0.2},
    ),
    (["sandalwood", "temple wood"], ["백단향", "사찰의 나무"], {"Woods": 0.7, "Soft Amber": 0.2, "Soft Floral": 0.1}),
    (["pine", "fir", "forest"], ["소나무", "전나무", "숲"], {"Aromatic": 0.35, "Woods": 0.4, "Green": 0.25}),
    (
        ["moss", "mushrooms", "forest floor"],
        ["이끼", "버섯", "숲 바닥"],
        {"Mossy Woods": 0.7, "Green": 0.15, "Woods": 0.15},
    ),
    (["wet earth", "mud", "soil"], ["젖은 흙", "진흙", "흙"], {"Mossy Woods": 0.7, "Water": 0.15, "Woods": 0.15}),
    (
        ["damp cellar", "mildew", "old stone"],
        ["눅눅한 지하실", "곰팡이", "오래된 돌"],
        {"Mossy Woods": 0.65, "Dry Woods": 0.2, "Water": 0.15},
    ),
    (
        ["smoke", "fire", "ash", "burning"],
        ["연기", "불", "재", "타는 냄새"],
        {"Dry Woods": 0.8, "Woods": 0.1, "Amber": 0.1},
    ),
    (
        ["gunpowder", "cordite", "explosions"],
        ["화약", "포연", "폭발"],
        {"Dry Woods": 0.7, "Aromatic": 0.15, "Mossy Woods": 0.15},
    ),
    (["leather", "saddles", "boots"], ["가죽", "안장", "부츠"], {"Dry Woods": 0.7, "Amber": 0.15, "Woods": 0.15}),
    (
        ["tobacco", "cigars", "cigarettes"],
        ["담배", "시가", "궐련"],
        {"Dry Woods": 0.5, "Amber": 0.25, "Soft Amber": 0.25},
    ),
    (["whisky", "cognac", "bourbon"], ["위스키", "코냑", "버번"], {"Amber": 0.45, "Woods": 0.35, "Soft Amber": 0.2}),
    (
        ["gasoline", "tires", "engine oil"],
        ["휘발유", "타이어", "엔진 오일"],
        {"Dry Woods": 0.6, "Aromatic": 0.2, "Woody Amber": 0.2},
    ),
    (["coal smoke", "steam engine"], ["석탄 연기", "증기 기관"], {"Dry Woods": 0.75, "Woods": 0.15, "Water": 0.1}),
    (["lemon", "lime", "lemonade"], ["레몬", "라임", "레모네이드"], {"Citrus": 0.85, "Green": 0.15}),
    (["oranges", "mandarins", "grapefruit"], ["오렌지", "귤", "자몽"], {"Citrus": 0.8, "Fruity": 0.2}),
    (["bergamot", "earl grey tea"], ["베르가못", "얼그레이 차"], {"Citrus": 0.7, "Aromatic": 0.15, "Green": 0.15}),
    (["apples", "pears", "orchard"], ["사과", "배", "과수원"], {"Fruity": 0.75, "Green": 0.25}),
    (["peaches", "apricots", "plums"], ["복숭아", "살구", "자두"], {"Fruity": 0.85, "Floral": 0.15}),
    (["strawberries", "raspberries", "berries"], ["딸기", "산딸기", "베리"], {"Fruity": 0.8, "Soft Amber": 0.2}),
    (["grapes", "red wine"], ["포도", "레드 와인"], {"Fruity": 0.6, "Amber": 0.2, "Woods": 0.2}),
    (["melon", "watermelon", "cucumber"], ["멜론", "수박", "오이"], {"Water": 0.5, "Fruity": 0.3, "Green": 0.2}),
    (["cut grass", "leaves", "meadow"], ["깎은 풀", "나뭇잎", "초원"], {"Green": 0.8, "Aromatic": 0.1, "Floral": 0.1}),
    (["green tea", "bamboo", "matcha"], ["녹차", "대나무", "말차"], {"Green": 0.65, "Aromatic": 0.15, "Woods": 0.2}),
    (
        ["jungle", "ferns", "vines", "rainforest"],
        ["정글", "고사리", "덩굴", "열대우림"],
        {"Green": 0.7, "Mossy Woods": 0.15, "Water": 0.15},
    ),
    (["lavender", "sage"], ["라벤더", "세이지"], {"Aromatic": 0.8, "Floral": 0.2}),
    (["rosemary", "thyme", "basil", "herbs"], ["로즈마리", "타임", "바질", "허브"], {"Aromatic": 0.8, "Green": 0.2}),
    (["mint", "eucalyptus", "menthol"], ["민트", "유칼립투스", "멘톨"], {"Aromatic": 0.8, "Water": 0.1, "Green": 0.1}),
    (
        ["disinfectant", "hospital", "laboratory"],
        ["소독약", "병원", "실험실"],
        {"Aromatic": 0.45, "Soft Floral": 0.3, "Water": 0.25},
    ),
    (
        ["cold metal", "steel", "machines"],
        ["차가운 금속", "강철", "기계"],
        {"Woody Amber": 0.35, "Water": 0.35, "Soft Floral": 0.3},
    ),
    (["ozone", "thunder", "lightning"], ["오존", "천둥", "번개"], {"Water": 0.65, "Aromatic": 0.2, "Dry Woods": 0.15}),
    (
        ["fresh air", "wind", "mountain air"],
        ["맑은 공기", "바람", "산 공기"],
        {"Water": 0.4, "Aromatic": 0.35, "Green": 0.25},
    ),
    (
        ["sunshine", "hot sand", "sun cream"],
        ["햇살", "뜨거운 모래", "선크림"],
        {"Floral Amber": 0.35, "Citrus": 0.25, "Woody Amber": 0.2, "Water": 0.2},
    ),
    (
        ["ambergris", "warm skin", "musk"],
        ["용연향", "따뜻한 살결", "머스크"],
        {"Woody Amber": 0.45, "Soft Floral": 0.3, "Soft Amber": 0.25},
    ),
    (
        ["candles", "beeswax", "velvet"],
        ["촛불", "밀랍", "벨벳"],
        {"Soft Amber": 0.5, "Amber": 0.3, "Floral Amber": 0.2},
    ),
    (
        ["old books", "paper", "library"],
        ["오래된 책", "종이", "도서관"],
        {"Woods": 0.35, "Dry Woods": 0.3, "Soft Amber": 0.35},
    ),
    (
        ["dust", "dry earth", "desert"],
        ["먼지", "마른 흙", "사막"],
        {"Dry Woods": 0.4, "Amber": 0.35, "Woody Amber": 0.25},
    ),
    (["blood", "sweat", "iron"], ["피", "땀", "쇠"], {"Aromatic": 0.35, "Dry Woods": 0.35, "Woody Amber": 0.3}),
    (
        ["sesame oil", "grilled meat", "broth"],
        ["참기름", "구운 고기", "국물"],
        {"Amber": 0.4, "Floral Amber": 0.3, "Woods": 0.3},
    ),
)


def concept_scenarios(*, seed=0, per_concept=6):
    """Short "it smells of X" texts, one or two concepts mixed, in both languages."""
    rng = random.Random(seed)
    en_frames = ["the air smells of {}", "a scene full of {}", "{} everywhere", "the smell of {}"]
    ko_frames = ["{} 냄새가 나는 장면", "공기 중에 {} 향이 가득하다", "사방에 {}", "{}의 냄새"]
    out = []
    for k, (en, ko, profile) in enumerate(CONCEPTS):
        for i in range(per_concept):
            lang = "en" if i % 2 == 0 else "ko"
            words = en if lang == "en" else ko
            phrase, target = rng.choice(words), dict(profile)
            if i >= 2:
                other = CONCEPTS[rng.randrange(len(CONCEPTS))]
                phrase2 = rng.choice(other[0] if lang == "en" else other[1])
                phrase = f"{phrase} and {phrase2}" if lang == "en" else f"{phrase}와 {phrase2}"
                for fam, w in other[2].items():
                    target[fam] = target.get(fam, 0.0) + w
            frame = rng.choice(en_frames if lang == "en" else ko_frames)
            out.append(Scenario(f"concept{k}", lang, frame.format(phrase), {}, _normalise(target)))
    return out


for _en, _ko, _prof in CONCEPTS:
    assert set(_prof) <= set(FAMILIES), _en
