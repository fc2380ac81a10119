from analysis.text import count_words


def test_spellings_differing_by_accents_or_case_count_as_one_word():
    words = count_words(["École", "ecole", "l'école", "écoles"])
    assert words.to_dict("list") == {"word": ["école", "écoles"], "count": [3, 1]}


def test_stop_words_match_without_their_accents():
    # "etre" and "a" are the stop words "être" and "à" typed without accents.
    assert count_words(["etre a la plage", "être à la plage"]).to_dict("list") == {
        "word": ["plage"],
        "count": [2],
    }


def test_digits_and_single_letters_are_not_words():
    assert count_words(["3 x 12 vélo"]).to_dict("list") == {"word": ["vélo"], "count": [1]}


def test_limit_keeps_the_most_frequent_ties_alphabetical():
    words = count_words(["b a c b c d"], limit=2, stop_words=frozenset(), min_length=1)
    assert words.to_dict("list") == {"word": ["b", "c"], "count": [2, 2]}


def test_words_glued_by_punctuation_count_like_words_apart():
    glued = count_words(["vélo,piscine!vélo", "cinéma/vélo\u00a0piscine\tcinéma"])
    apart = count_words(["vélo piscine vélo", "cinéma vélo piscine cinéma"])
    assert glued.to_dict("list") == apart.to_dict("list")
    assert glued.to_dict("list") == {"word": ["vélo", "cinéma", "piscine"], "count": [3, 2, 2]}


def test_hyphenated_words_stay_whole():
    words = count_words(["Des bus le week-end", "du hip-hop le week-end", "-vélo- ! - --"])
    assert words.to_dict("list") == {
        "word": ["week-end", "bus", "hip-hop", "vélo"],
        "count": [2, 1, 1, 1],
    }


def test_elided_articles_and_pronouns_are_cut_off_the_word_they_lean_on():
    words = count_words(
        ["l'école d'hiver", "L’école qu'on aime", "jusqu'au bord de l'eau", "aujourd'hui"]
    )
    assert words.to_dict("list") == {
        "word": ["école", "aime", "aujourd'hui", "bord", "eau", "hiver"],
        "count": [2, 1, 1, 1, 1, 1],
    }


def test_the_demo_wishes_give_whole_words():
    words = count_words(
        [
            "Des bus plus tard le week-end pour rentrer des quartiers.",
            "Plus de concerts gratuits en été au bord de la Moselle.",
        ],
        limit=None,
    )
    assert "week-end" in set(words["word"])
    assert not {"week", "end"} & set(words["word"])
