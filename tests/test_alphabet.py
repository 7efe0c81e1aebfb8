from ml.reading.alphabet import (
    ALPHABET,
    CONSONANTS,
    DATASET30_FOLDERS,
    DATASET30_LETTERS,
    LETTERS,
    VOWELS,
    index_of,
    letter_from_folder,
    letter_info,
)


def test_alphabet_has_19_consonants_and_21_vowels_all_distinct():
    assert len(CONSONANTS) == 19 and len(VOWELS) == 21
    assert len(set(LETTERS)) == 40 == len(ALPHABET)
    assert all(letter_info(c).kind == "consonant" for c in CONSONANTS)
    assert all(letter_info(v).kind == "vowel" for v in VOWELS)


def test_letters_are_compatibility_jamo_in_dictionary_order():
    assert LETTERS[:3] == ("ㄱ", "ㄲ", "ㄴ") and LETTERS[19] == "ㅏ" and LETTERS[-1] == "ㅣ"
    assert all(0x3131 <= ord(x) <= 0x3163 for x in LETTERS)
    assert [ord(x) for x in LETTERS] == sorted(ord(x) for x in LETTERS)


def test_romanizations_are_unique_and_names_are_korean():
    assert len({letter.romanization for letter in ALPHABET}) == 40
    assert letter_info("ㅛ").romanization == "yo" and letter_info("ㄱ").name == "기역"
    assert letter_info("ㅇ").name_romanized == "ieung"


def test_dataset_folders_map_to_the_30_letters_the_kaggle_set_has():
    assert len(DATASET30_LETTERS) == len(set(DATASET30_LETTERS)) == 30
    assert "ㅆ" in DATASET30_LETTERS
    absent = set(LETTERS) - set(DATASET30_LETTERS)
    assert absent == set("ㄸㅉㅕㅘㅙㅚㅝㅞㅟㅢ")
    assert dict(zip(DATASET30_FOLDERS, DATASET30_LETTERS, strict=True))["gg"] == "ㄲ"
    assert dict(zip(DATASET30_FOLDERS, DATASET30_LETTERS, strict=True))["bb"] == "ㅃ"


def test_folder_names_by_jamo_or_romanization_resolve_and_others_do_not():
    assert letter_from_folder("ㅛ") == "ㅛ"
    assert letter_from_folder("yo") == "ㅛ"
    assert letter_from_folder("YEO") == "ㅕ"
    assert letter_from_folder("kk") == letter_from_folder("gg") == "ㄲ"
    assert letter_from_folder("cat") is None and letter_from_folder("ㄳ") is None


def test_index_of_is_the_position_in_letters():
    assert all(index_of(x) == i for i, x in enumerate(LETTERS))
