from certificates.codes import ALPHABET, check_character, code_generate, code_is_well_formed, code_normalise


def test_generated_codes_are_well_formed_and_not_sequential():
    codes = [code_generate() for _ in range(200)]
    assert len(set(codes)) == 200
    assert all(len(c) == 11 and code_is_well_formed(c) for c in codes)
    assert not set("".join(codes)) & set("0O1IL5S")


def test_every_single_character_typo_is_detected():
    code = code_generate()
    for i in range(len(code)):
        for ch in ALPHABET:
            if ch != code[i]:
                assert not code_is_well_formed(code[:i] + ch + code[i + 1 :])


def test_every_adjacent_transposition_is_detected():
    for _ in range(100):
        code = code_generate()
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                assert not code_is_well_formed(code[:i] + code[i + 1] + code[i] + code[i + 2 :])


def test_normalise_accepts_dashes_spaces_and_lowercase():
    code = code_generate()
    spaced = " " + "-".join(code[i : i + 4] for i in range(0, 11, 4)).lower() + " "
    assert code_normalise(spaced) == code
    assert check_character(code[:-1]) == code[-1]
