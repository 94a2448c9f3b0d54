import pytest

from apps.scents.ml.text import MAX_DESCRIPTION_CHARS, SceneInputError, cache_key, lexical_tokens, scene_input_clean


@pytest.mark.parametrize(
    "description,message",
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        (None, "empty"),
        ("x" * 20000, "keep it under"),
        ("🌧️🌃🕵️", "no words"),
        ("!!! 123 ???", "no words"),
    ],
)
def test_bad_descriptions_are_refused_with_a_clear_message(description, message):
    with pytest.raises(SceneInputError) as info:
        scene_input_clean({"description": description})
    assert info.value.field == "description"
    assert message in info.value.message


def test_an_unknown_genre_is_refused_and_the_choices_are_listed():
    with pytest.raises(SceneInputError) as info:
        scene_input_clean({"description": "rain", "genre": "space opera"})
    assert info.value.field == "genre"
    assert "science fiction" in info.value.message


def test_input_is_normalised_so_equal_scenes_share_a_cache_key():
    a = scene_input_clean({"description": "  Rain   at night ", "genre": "Sci-Fi", "weather": "RAIN"})
    b = scene_input_clean({"description": "Rain at night", "genre": "science fiction", "weather": "rain"})
    assert a == b
    assert cache_key(a, "v1") == cache_key(b, "v1")
    assert cache_key(a, "v1") != cache_key(a, "v2")


def test_emoji_with_words_is_fine_and_korean_words_give_stem_features():
    assert scene_input_clean({"description": "비 오는 밤 🌧️"})["description"] == "비 오는 밤 🌧️"
    words = dict(lexical_tokens("빗소리가 들린다"))
    assert len(words["빗소리가"]) == 4  # the word and its prefixes 빗, 빗소, 빗소리
    assert len(MAX_DESCRIPTION_CHARS * "a") == MAX_DESCRIPTION_CHARS
