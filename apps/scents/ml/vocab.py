"""Fixed vocabularies shared by the model, the composer, forms and the API.

The 14 families are the subfamilies of Michael Edwards' Fragrance Wheel, in wheel order
(so neighbours on the wheel are neighbours in the list).
"""

FAMILIES = (
    "Floral",
    "Soft Floral",
    "Floral Amber",
    "Soft Amber",
    "Amber",
    "Woody Amber",
    "Woods",
    "Mossy Woods",
    "Dry Woods",
    "Aromatic",
    "Citrus",
    "Water",
    "Green",
    "Fruity",
)
FAMILY_INDEX = {name: i for i, name in enumerate(FAMILIES)}
TIERS = ("top", "heart", "base")

GENRES = (
    "action",
    "adventure",
    "animation",
    "comedy",
    "crime",
    "documentary",
    "drama",
    "family",
    "fantasy",
    "history",
    "horror",
    "music",
    "mystery",
    "romance",
    "science fiction",
    "thriller",
    "war",
    "western",
)
MOODS = (
    "romantic",
    "tense",
    "melancholic",
    "joyful",
    "eerie",
    "nostalgic",
    "triumphant",
    "serene",
    "mysterious",
)
TIMES_OF_DAY = ("dawn", "morning", "noon", "afternoon", "dusk", "night")
WEATHERS = ("clear", "rain", "snow", "fog", "storm", "heat", "wind")
SEASONS = ("spring", "summer", "autumn", "winter")

#: Structured fields the model reads, with their allowed values (empty = not given).
FIELDS = {
    "genre": GENRES,
    "mood": MOODS,
    "time_of_day": TIMES_OF_DAY,
    "weather": WEATHERS,
    "season": SEASONS,
}

#: Concentration types: share of fragrance concentrate in the finished product (percent).
CONCENTRATIONS = {
    "eau de cologne": 4.0,
    "eau de toilette": 10.0,
    "eau de parfum": 18.0,
    "parfum": 25.0,
}
