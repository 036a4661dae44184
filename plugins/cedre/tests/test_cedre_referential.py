"""The CEDRE v2 data file against its source, item by item.

`ITEMS` is read off the seed (tests/data/cedre_v2_seed.txt, a copy of
shared/seeds/000_47962e342525f7b1.txt): for each specification, the page in the seed's footer
("page N/34"), the line of the extraction, and how the three-column tables of chapters 6–8 state
it:
  both  the AI – ETTI and the ACI – EI columns state it differently (two texts)
  all   one text for every structure type (a cell merged across both columns, or chapters 3–5, 9)
  ai    the AI – ETTI column only: not applicable to ACI and EI
  aci   the ACI – EI column only: not applicable to AI and ETTI
`test_table_matches_the_seed_tables` re-derives the labels and their columns from the seed
itself, so the table cannot drift from the source.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from audit_bench.referential import ReferentialTree, content_hash, load_referential
from audit_bench.referential.schema import NA

import audit_bench_cedre

SEED = Path(__file__).parent / "data" / "cedre_v2_seed.txt"
SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
TYPES = ["AI", "ETTI", "ACI", "EI", "ENSEMBLIER"]
AI_LABEL = "Mise à disposition de personnel (AI – ETTI)"
ACI_LABEL = "Prestation de services ou production de bien (ACI – EI)"

# (id, seed page, seed line, columns)
ITEMS: list[tuple[str, int, int, str]] = [
    # 3 Système Qualité
    ("3.1", 9, 168, "all"), ("3.2", 9, 174, "all"),
    # 4 Responsabilité de la direction
    ("4.1", 9, 191, "all"), ("4.2", 10, 206, "all"), ("4.3", 10, 214, "all"), ("4.4", 10, 224, "all"),
    # 5 Management des ressources (5.1: four unnumbered themes)
    ("5.1.attributions", 11, 246, "all"), ("5.1.competences", 11, 252, "all"),
    ("5.1.formation", 11, 260, "all"), ("5.1.statuts", 11, 266, "all"),
    ("5.2", 11, 270, "all"), ("5.3", 11, 274, "all"),
    # 6.1 Mission accueil
    ("6.1.A", 13, 301, "both"), ("6.1.A1", 13, 302, "all"), ("6.1.A2", 13, 303, "all"),
    ("6.1.A3", 13, 304, "all"), ("6.1.A4", 13, 305, "all"), ("6.1.A5", 13, 306, "all"),
    ("6.1.B", 14, 312, "both"), ("6.1.B1", 14, 313, "both"), ("6.1.B2", 14, 314, "all"),
    ("6.1.B3", 14, 315, "aci"),
    ("6.1.C", 14, 318, "both"), ("6.1.C1", 14, 319, "both"), ("6.1.C2", 14, 320, "both"),
    ("6.1.C3", 15, 326, "all"), ("6.1.C4", 15, 327, "both"),
    ("6.1.D", 15, 330, "all"), ("6.1.D1", 15, 331, "ai"),
    ("6.1.E", 15, 334, "all"),
    ("6.1.F", 16, 340, "both"),
    ("6.1.G", 16, 343, "all"), ("6.1.G1", 16, 344, "all"), ("6.1.G2", 16, 345, "both"),
    ("6.1.G3", 16, 346, "all"), ("6.1.G4", 17, 353, "all"),
    # 6.2 Mission insertion et spécifications transversales
    ("6.2.A", 19, 420, "both"), ("6.2.A1", 19, 421, "all"), ("6.2.A2", 19, 422, "all"),
    ("6.2.B", 19, 425, "all"), ("6.2.B1", 19, 426, "all"), ("6.2.B2", 19, 427, "all"),
    ("6.2.B3", 19, 428, "all"),
    ("6.2.C", 20, 434, "all"), ("6.2.C1", 20, 435, "all"), ("6.2.C2", 20, 436, "all"),
    ("6.2.C3", 20, 437, "all"), ("6.2.C4", 20, 438, "all"),
    ("6.2.D", 20, 441, "all"), ("6.2.D1", 20, 442, "both"), ("6.2.D2", 20, 443, "both"),
    ("6.2.D3", 20, 444, "all"), ("6.2.D4", 20, 445, "ai"),
    ("6.2.E", 21, 451, "all"), ("6.2.E1", 21, 452, "all"), ("6.2.E2", 21, 453, "all"),
    ("6.2.F", 21, 456, "all"), ("6.2.F1", 21, 457, "all"), ("6.2.F2", 21, 458, "all"),
    # 6.3 Processus support : développement commercial
    ("6.3.A", 23, 478, "all"), ("6.3.A1", 23, 479, "all"), ("6.3.A2", 23, 480, "all"),
    ("6.3.A3", 23, 481, "all"), ("6.3.A4", 23, 482, "all"), ("6.3.A5", 23, 483, "all"),
    ("6.3.B", 23, 486, "all"), ("6.3.B1", 23, 487, "all"), ("6.3.B2", 24, 492, "all"),
    ("6.3.B3", 24, 493, "both"), ("6.3.B4", 24, 494, "both"), ("6.3.B5", 24, 495, "both"),
    ("6.3.B6", 24, 496, "all"), ("6.3.B7", 24, 497, "all"),
    # 7 Mission observatoire
    ("7.A", 26, 536, "all"), ("7.B", 26, 537, "all"), ("7.C", 26, 538, "all"),
    ("7.D1", 26, 539, "all"), ("7.D2", 26, 539, "all"),
    # 8 Amélioration continue du système Qualité
    ("8.A", 28, 577, "all"), ("8.A1", 28, 578, "all"), ("8.A2", 28, 579, "all"),
    ("8.A3", 28, 580, "all"), ("8.A4", 28, 581, "all"), ("8.A5", 28, 582, "all"),
    ("8.B", 29, 588, "all"), ("8.B1", 29, 589, "all"), ("8.B2", 29, 590, "all"),
    ("8.B3", 29, 591, "all"),
    ("8.C", 29, 594, "all"), ("8.C1", 29, 595, "all"), ("8.C2", 29, 596, "all"),
    # 9 Support de communication ("9-1" … "9-3" in the seed)
    ("9.1", 31, 634, "all"), ("9.2", 31, 638, "all"), ("9.3", 31, 646, "all"),
]
BY_ID = {item_id: (page, line, columns) for item_id, page, line, columns in ITEMS}


def _section_of(item_id: str) -> str:
    return item_id[:3] if item_id.startswith("6.") else item_id[0]


def _applies(columns: str, structure_type: str) -> bool:
    if structure_type == "ENSEMBLIER" or columns in ("all", "both"):
        return True
    return (columns == "ai") == (structure_type in ("AI", "ETTI"))


EXPECTED_PER_SECTION = Counter(_section_of(item_id) for item_id in BY_ID)
EXPECTED_PER_TYPE = {t: sum(_applies(c, t) for _, _, _, c in ITEMS) for t in TYPES}


@pytest.fixture(scope="module")
def tree() -> ReferentialTree:
    referential = load_referential(audit_bench_cedre.REFERENTIAL_PATH)
    return ReferentialTree(referential, content_hash(referential))


# ---------------------------------------------------------------- the seed, read as plain text

def _demarkup(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("**", " ").replace("*", "")
    text = re.sub(r"[▪↪]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


FOOTER = re.compile(r"^(Référentiel CEDRE\tModifié le|Version n°2\t19/05/2008)")
SEED_TEXT = _demarkup("\n".join(line for line in SEED_LINES if not FOOTER.match(line))).casefold()


def _in_seed(fragment: str, pieces: int = 3) -> bool:
    """True when `fragment` is verbatim in the seed, or joins at most `pieces` verbatim pieces
    (a cell broken by a page break, a list item split from its lead-in)."""
    fragment = fragment.strip()
    if fragment.casefold() in SEED_TEXT:
        return True
    if pieces <= 1:
        return False
    for cut in range(len(fragment) - 12, 11, -1):
        if fragment[:cut].strip().casefold() in SEED_TEXT and _in_seed(fragment[cut:], pieces - 1):
            return True
    return False


def _lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*-\s+", "", line).strip()
        if line:
            out.append(re.sub(r"\s+", " ", line))
    return out


# ------------------------------------------------------------------------------ the tree

def test_every_specification_of_the_seed_is_a_ratable_node(tree):
    ratable = [node.id for node in tree.ratable]
    assert sorted(ratable) == sorted(BY_ID)
    assert len(ratable) == len(ITEMS) == 94


@pytest.mark.parametrize("section", sorted(EXPECTED_PER_SECTION))
def test_ratable_count_per_chapter_and_section(tree, section):
    found = [n.id for n in tree.ratable if any(p.id == section for p in tree.parents(n.id))]
    assert len(found) == EXPECTED_PER_SECTION[section], found


README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_counts(line_start: str) -> dict[str, int]:
    """The « X → n » or « X n » counts the README's line starting with `line_start` states."""
    line = next(line for line in README.read_text(encoding="utf-8").split("\n\n") if line.startswith(line_start))
    return {key: int(value) for key, value in re.findall(r"([A-Z]+|\d(?:\.\d)?) (?:→ )?(\d+)", line)}


def test_the_readme_states_the_data_files_counts_per_chapter(tree):
    stated = _readme_counts("Items cotables par chapitre")
    for section, count in stated.items():
        node = tree.node(section)
        assert sum(1 for d in tree.descendants(node) if d.ratable) == count, section
    assert len(tree.ratable) == 94 == sum(stated[s] for s in ("3", "4", "5", "6", "7", "8", "9"))


@pytest.mark.parametrize("structure_type", TYPES)
def test_applicable_ratable_count_per_structure_type(tree, structure_type):
    assert len(tree.applicable_ratable(structure_type)) == EXPECTED_PER_TYPE[structure_type]


def test_the_readme_states_the_data_files_counts_per_type(tree):
    stated = _readme_counts("Par type de structure")
    assert stated == {t: len(tree.applicable_ratable(t)) for t in TYPES}


def _groups() -> dict[str, list[str]]:
    """The groups the table implies: a letter with numbered sub-specifications ("6.1.A-A5")."""
    groups: dict[str, list[str]] = {}
    for item_id in BY_ID:
        found = re.match(r"^(\d(?:\.\d)?)\.([A-G])(\d?)$", item_id)
        if found:
            groups.setdefault(f"{found.group(1)}.{found.group(2)}", []).append(item_id)
    out = {}
    for letter, members in groups.items():
        if len(members) > 1:
            first = letter if letter in members else members[0]
            out[f"{first}-{letter[-1]}{members[-1][-1]}"] = members
    return out


GROUPS = _groups()


def test_groups_are_the_ones_the_table_implies(tree):
    assert sorted(GROUPS) == sorted(node.id for node in tree.walk() if "-" in node.id and not node.ratable)


def test_items_sit_under_their_chapter_section_and_group(tree):
    group_of = {item: group for group, members in GROUPS.items() for item in members}
    for item_id in BY_ID:
        parents = [p.id for p in tree.parents(item_id)]
        assert parents[0] == item_id[0], item_id
        if item_id.startswith("6."):
            assert parents[1] == item_id[:3], item_id
        if item_id in group_of:
            assert parents[-1] == group_of[item_id], item_id
        else:
            assert len(parents) == (2 if item_id.startswith(("6.", "5.1.")) else 1), item_id
    for group, members in GROUPS.items():
        node = tree.node(group)
        assert not node.ratable and node.kind == "groupe"
        assert [c.id for c in node.children] == members  # the seed's order
        # the objectifs qualité poursuivis: the group's intent; its title is the first row
        assert node.intent and node.title == node.intent.split("\n\n")[0]
        assert all(not tree.node(m).intent for m in members)


def test_ratable_nodes_are_leaves(tree):
    # the walk and the report list ratable nodes as leaves: a child of one would be lost
    assert [n.id for n in tree.ratable if n.children] == []


def test_non_ratable_nodes_carry_titles(tree):
    for node in tree.walk():
        if not node.ratable:
            assert node.title, node.id
    assert [n.id for n in tree.referential.nodes] == [str(i) for i in range(1, 10)]
    for chapter_id in ("1", "2"):
        chapter = tree.node(chapter_id)
        assert not chapter.ratable
        assert not any(n.ratable for n in tree.descendants(chapter))
    assert tree.node("7.D1-D2").intent == "Valoriser l'appartenance à un réseau de l'IAE."
    assert not tree.node("5.1").ratable


def test_every_lettered_group_has_its_objective(tree):
    # every letter of chapters 6–8 has an objective in the seed (7.D: D1 and D2 together)
    letters = {re.match(r"^(\d(?:\.\d)?\.[A-G])", i).group(1) for i in BY_ID if i[0] in "678"}
    for letter in letters:
        group = next((g for g in GROUPS if g.startswith(letter)), None)
        holder = tree.node(group) if group else tree.node(letter)
        assert holder.intent, letter


# ---------------------------------------------------------------------------- the variants

@pytest.mark.parametrize("item_id", sorted(BY_ID))
def test_variant_per_structure_type(tree, item_id):
    node = tree.node(item_id)
    columns = BY_ID[item_id][2]
    for structure_type in TYPES:
        assert tree.applicable(node, structure_type) is _applies(columns, structure_type), structure_type
    if columns == "both":
        ai, aci = tree.text_for(node, "AI"), tree.text_for(node, "ACI")
        assert ai != aci
        assert tree.text_for(node, "ETTI") == ai and tree.text_for(node, "EI") == aci
        # the ensemblier (and a reader with no type) reads both columns
        assert tree.text_for(node, "ENSEMBLIER") == node.text == f"{AI_LABEL} : {ai}\n\n{ACI_LABEL} : {aci}"
    else:
        assert {tree.text_for(node, t) for t in TYPES} == {node.text}
    if columns in ("ai", "aci"):
        assert node.variants["ENSEMBLIER"].guidance, "the ensemblier is told which activities it concerns"


def test_aci_audit_reads_the_aci_ei_wording(tree):
    node = tree.node("6.1.B")
    assert tree.text_for(node, "ACI") == (
        "Assurer un recrutement qui tienne compte des choix et des impératifs de la personne en insertion.")
    assert tree.text_for(node, "AI") == (
        "Proposer et réaliser avec la personne une évaluation conjointe de sa situation socioprofessionnelle.")
    assert not tree.applicable(tree.node("6.1.D1"), "ACI")
    assert not tree.applicable(tree.node("6.1.B3"), "AI")


def test_dispositions_particulieres_of_6_1_G_are_guidance_per_type(tree):
    node = tree.node("6.1.G")
    assert "Dispositions particulières" in node.guidance
    ai = tree.variant(node, "AI").guidance
    etti = tree.variant(node, "ETTI").guidance
    aci = tree.variant(node, "ACI").guidance
    assert "le tiers des salariés en insertion" in ai and "Dans le cadre d'une ETTI" not in ai
    assert "équivalents temps plein du financement de l'accompagnement socioprofessionnel" in etti
    assert "le tiers" not in etti
    assert "il concerne chaque salarié en insertion" in aci and tree.variant(node, "EI").guidance == aci
    # the cell broken by the page break (p. 16/17) is joined
    assert "Cette évaluation se fait par rapport au nombre de salariés en mission chaque mois." in etti


# ------------------------------------------------------------------------------ exact texts

def _texts_of(tree, node):
    yield node.text
    for variant in node.variants.values():
        if variant.text is not None:
            yield variant.text


@pytest.mark.parametrize("item_id", sorted(BY_ID))
def test_texts_are_the_seed_wording(tree, item_id):
    node = tree.node(item_id)
    texts = list(_texts_of(tree, node))
    if BY_ID[item_id][2] == "both":
        texts = texts[1:]  # the node text is the two column texts with their labels (checked above)
    for text in texts:
        for line in _lines(text):
            assert _in_seed(line), f"{item_id}: not in the seed: {line!r}"
    for line in _lines(node.intent):
        assert _in_seed(line), f"{item_id} intent: {line!r}"


def test_every_intent_and_reading_text_is_the_seed_wording(tree):
    for node in tree.walk():
        for line in _lines(node.intent):
            assert _in_seed(line), f"{node.id} intent: {line!r}"
        if not node.ratable:
            for line in _lines(node.text):
                assert _in_seed(line), f"{node.id}: {line!r}"
    with_intent = {n.id for n in tree.walk() if n.intent and not n.ratable}
    assert with_intent == {"1", "6.1", "6.2", "6.3", "7"} | set(GROUPS)
    for group in GROUPS:
        assert _in_seed(tree.node(group).title), group


def test_text_spot_checks(tree):
    assert tree.node("6.1.B3").text == "Assurer conjointement avec le prescripteur le recrutement des futurs salariés"
    assert tree.node("6.1.G4").text == (
        "Le choix par une SIAE de ne pas faire signer la contractualisation par le(s) salarié(s) "
        "en insertion doit être argumentée pédagogiquement.")
    assert tree.node("6.1.E").intent == (
        "Favoriser une réponse « rapide » à la situation de la personne et éviter le phénomène « patate chaude ».")
    assert tree.node("5.1.statuts").text.startswith(
        "La SIAE veille particulièrement à éviter la précarisation des personnels en parcours insertion")
    assert "l’agrément ANPE" in tree.node("5.1.statuts").text  # the seed's typographic apostrophe
    assert tree.node("9.3").title == "Utilisation des supports de communication certification CEDRE"
    c2_ai = tree.text_for(tree.node("6.1.C2"), "AI")
    assert ("- Ses droits à la formation et autres produits ou pour les ETTI les actions proposées par "
            "les fonds d'action social (FASTT) ou la SIAE elle-même ;") in c2_ai  # joined across p. 14/15
    assert c2_ai.endswith("- La convention collective ou accord d'entreprise.")
    assert tree.text_for(tree.node("6.1.C2"), "EI").endswith(
        "- Ses droits à la formation ;\n- La convention collective ou accord d'entreprise.")
    assert tree.node("7.D2").text == (
        "La SIAE participe à des réseaux d'échange, d'harmonisation et de capitalisation des "
        "pratiques d'insertion et de développement local.")
    assert tree.node("6.1.A-A5").intent.count("\n\n") == 1  # both objective rows of group A
    assert tree.node("6.2.F-F2").intent.startswith("Se créer des partenariats à long terme")


def _seed_columns() -> dict[str, set[int]]:
    """Each label of the chapters 6–8 tables in the seed, with the tab-separated columns it sits in."""
    sections = [("6.1", 296, 416), ("6.2", 417, 474), ("6.3", 475, 532), ("7", 533, 573), ("8", 574, 631)]
    label = re.compile(r"(?<![A-Za-z])([A-G])(\d?)\s?\)")
    found: dict[str, set[int]] = {}
    for prefix, first, last in sections:
        for number in range(first, last + 1):
            cells = SEED_LINES[number - 1].split("\t")
            for column, cell in enumerate(cells):
                for match in label.finditer(cell):
                    found.setdefault(f"{prefix}.{match.group(1)}{match.group(2)}", set()).add(column)
    return found


def test_table_matches_the_seed_tables():
    """Re-derive from the seed which labels exist in chapters 6–8 and in which column they sit."""
    found = _seed_columns()
    table = {item_id for item_id in BY_ID if item_id[0] in "678"}
    assert set(found) - {"7.D"} == table | set()  # 7.D has no statement of its own: only D1), D2)
    for item_id, columns in found.items():
        expected = BY_ID[item_id][2]
        if columns == {1, 2}:
            assert expected == "both", item_id
        elif columns == {2}:
            assert expected == "aci", item_id
        elif columns == {0}:
            assert expected == "all", item_id  # a row spanning the whole table (6.1.G4, 8.A5)
        else:
            assert columns == {1} and expected in ("ai", "all"), (item_id, columns)


# Cells the extraction puts in the AI – ETTI column alone: only mise-à-disposition wording
# ("missions de travail", glossary 1.11, line 141) restricts one to AI and ETTI.
RESTRICTED_BY_WORDING = {"6.1.D1": (331, "missions de travail"), "6.2.D4": (445, "toute mission égale")}
# Edition 1 of the data excluded these for ACI and EI; the seed does not clearly restrict them.
DOUBTFUL_CELLS = {"6.1.B2": 314, "6.1.C3": 326, "6.1.D": 330}


def test_only_mise_a_disposition_wording_drops_a_cell_from_aci_and_ei(tree):
    first_column_only = {i for i, columns in _seed_columns().items() if columns == {1} and i in BY_ID}
    dropped = {i for i in first_column_only if not tree.applicable(tree.node(i), "ACI")}
    assert dropped == set(RESTRICTED_BY_WORDING)
    for item_id, (line, wording) in RESTRICTED_BY_WORDING.items():
        assert wording in SEED_LINES[line - 1] and wording in tree.node(item_id).text, item_id
    assert "mission" not in tree.node("6.1.D").text.casefold()


@pytest.mark.parametrize("item_id", sorted(DOUBTFUL_CELLS))
def test_doubtful_cells_apply_to_every_type_and_say_why_they_may_not(tree, item_id):
    line = DOUBTFUL_CELLS[item_id]
    cells = SEED_LINES[line - 1].split("\t")
    assert item_id.rsplit(".", 1)[1] + ")" in cells[1]
    assert "".join(cells[2:]).strip() == ""  # nothing in the ACI – EI column of that row
    node = tree.node(item_id)
    assert all(tree.applicable(node, t) for t in TYPES)
    assert "colonne AI – ETTI" in node.guidance and "N/A" in node.guidance


def test_6_1_d_is_backed_by_the_period_of_trial_in_chantier_or_ei(tree):
    assert SEED_LINES[402 - 1] == "- Période d'essai en chantier ou EI"
    hints = {h.category: h.items for h in tree.node("6.1").evidence}
    assert "Période d'essai en chantier ou EI" in hints["Supports d'évaluation"]
    assert "Période d'essai en chantier ou EI" in tree.node("6.1.D").guidance


@pytest.mark.parametrize("structure_type", ["AI", "ACI"])
def test_no_column_skips_a_number_within_a_group(tree, structure_type):
    """Read as merged cells, 6.1.B2 and 6.1.C3 leave no gap in either column (B, B1, B2, B3)."""
    numbers: dict[str, list[int]] = {}
    for node in tree.applicable_ratable(structure_type):
        found = re.match(r"^(\d(?:\.\d)?\.[A-G])(\d?)$", node.id)
        if found:
            numbers.setdefault(found.group(1), []).append(int(found.group(2) or 0))
    for letter, seen in numbers.items():
        first = 0 if letter in BY_ID else 1
        assert seen == list(range(first, first + len(seen))), (letter, seen)


def test_table_pages_and_lines_point_at_the_items():
    footer = re.compile(r"^Version n°2\t19/05/2008\tC\.A\.\t(\d+)/34")
    page_of_line, page = {}, None
    for number in range(len(SEED_LINES), 0, -1):  # a page's number is in its footer, below it
        found = footer.match(SEED_LINES[number - 1])
        if found:
            page = int(found.group(1))
        page_of_line[number] = page if page is not None else 34
    for item_id, (page, line, _) in BY_ID.items():
        assert page_of_line[line] == page, item_id
        suffix = item_id.split(".")[-1]
        text = SEED_LINES[line - 1]
        if re.fullmatch(r"[A-G]\d?", suffix):
            assert re.search(rf"(?<![A-Za-z]){suffix[0]}{suffix[1:]}\s?\)", text), (item_id, text)
        elif item_id.startswith("5.1."):
            assert text.startswith("#### **L"), (item_id, text)
        else:
            assert re.match(rf"^#+ \*{{0,2}}{item_id[0]}[.-]{item_id[2]}\b", text), (item_id, text)


# ---------------------------------------------------- moyens, glossary, annexes, scale, metadata

def test_moyens_are_evidence_hints_by_category(tree):
    expected_categories = {"3": 3, "4": 3, "5": 7, "6.1": 7, "6.2": 7, "6.3": 3, "7": 4, "8": 4}
    for node_id, count in expected_categories.items():
        hints = tree.node(node_id).evidence
        assert len(hints) == count, node_id
        for hint in hints:
            assert _in_seed(hint.category), hint.category
            for item in hint.items:
                assert _in_seed(item), (node_id, item)
    assert not tree.node("9").evidence
    assert "Comptes rendus d'AG" in tree.node("4").evidence[0].items
    assert "Procédure d'alerte informatique" in tree.node("6.1").evidence[2].items


def test_glossary_holds_the_25_definitions_of_2_5(tree):
    glossary = tree.referential.glossary
    seed_terms = [m.group(1) for line in SEED_LINES
                  if (m := re.match(r"^- 1\.\d+ (.+?) :\*\*", line))]
    assert len(seed_terms) == 25
    assert [g.term for g in glossary] == seed_terms
    for entry in glossary:
        assert _in_seed(entry.definition, pieces=1), entry.term
    assert glossary[22].term == "Suivi à minima"


def test_annex_a_is_the_plan_of_the_manuel_qualite_for_3_2(tree):
    annex = {a.id: a for a in tree.referential.annexes}["A"]
    assert annex.applies_to == ["3.2"]
    start = SEED_LINES.index("#### **Plan du manuel Qualité**")
    end = next(i for i in range(start, len(SEED_LINES)) if SEED_LINES[i].startswith("Référentiel CEDRE"))
    plan = " ".join([e.title for e in annex.entries] + [i for e in annex.entries for i in e.items])
    headings = 0
    for raw in SEED_LINES[start + 1:end]:
        content = re.sub(r"^[#\s*-]+|\*+$", "", raw).strip()
        if content:
            assert content in plan, content
            headings += raw.startswith("#####")
    assert headings == len(annex.entries) == 4
    assert [h.category for h in tree.node("3.2").evidence] == ["Plan du manuel Qualité (annexe A)"]


def test_annexes_b_and_c(tree):
    annexes = {a.id: a for a in tree.referential.annexes}
    b, c = annexes["B"], annexes["C"]
    assert [e.title for e in b.entries] == ["Coup de pouce", "Découverte", "Validation professionnelle",
                                           "Soutien actif", "TEMPLUS",
                                           "Mobilisation et préparation professionnelle"]
    assert [e.title.split()[-1] for e in c.entries] == ["stable", "instable", "précaire"]
    for annex in (b, c):
        assert _in_seed(annex.title.split(" : ", 1)[1], pieces=1)
        for entry in annex.entries:
            for fragment in [entry.title, entry.text, *entry.items]:
                if fragment:
                    assert _in_seed(fragment, pieces=1), fragment
    assert b.entries[4].items[-1].startswith("un suivi ou un accompagnement")  # across p. 33/34
    assert all(node_id in BY_ID for node_id in b.applies_to + c.applies_to)


def test_scale_tells_audit_de_progres_outcomes_apart(tree):
    scale = tree.referential.scale
    assert [level.label for level in scale] == ["Point fort", "Conforme", "Piste de progrès",
                                                "Point sensible", "Écart mineur", "Écart majeur"]
    assert NA not in tree.scale_by_value and NA in tree.rating_values()
    assert tree.referential.na_requires_reason
    assert sorted(tree.rating_keys) == ["1", "2", "3", "4", "5", "6"]
    needs_finding = {level.value for level in scale if level.requires_finding}
    assert needs_finding == {"point-sensible", "ecart-mineur", "ecart-majeur"}
    scores = [level.score for level in scale]
    assert scores == sorted(scores, reverse=True) and scores[0] == scores[1] == tree.max_score
    assert len({level.colour for level in scale}) == len(scale)


def test_the_scale_is_declared_the_plugins_choice():
    """No seed defines the scale or uses its words: the header and the README say it is ours and
    why (the seed's line 62: progress audits rather than conformity audits)."""
    line_62 = ("davantage des audits de progrès ou d'efficacité que des audits de seule conformité "
               "à une norme")
    assert line_62 in SEED_LINES[62 - 1]
    for word in ("point fort", "piste de progrès", "point sensible", "écart mineur", "écart majeur"):
        assert word not in SEED_TEXT, word
    data = audit_bench_cedre.REFERENTIAL_PATH.read_text(encoding="utf-8")
    header = "\n".join(line for line in data.splitlines() if line.startswith("#"))
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "this plugin's choice" in header and "choix du module" in readme
    for document in (header, readme):
        assert line_62 in re.sub(r"\s*\n#?\s*", " ", document)


def test_finding_classes(tree):
    classes = tree.finding_classes
    assert {c for c, cls in classes.items() if cls.requires_action} == {"ecart-majeur", "ecart-mineur"}
    order = sorted(classes.values(), key=lambda c: -c.severity)
    assert [c.id for c in order] == ["ecart-majeur", "ecart-mineur", "point-sensible",
                                     "piste-de-progres", "point-fort"]
    # every rating that needs a finding has a class of the same name to record it with
    for level in tree.referential.scale:
        if level.requires_finding:
            assert level.value in classes


def test_metadata_and_structure_types(tree):
    referential = tree.referential
    # CEDRE's own version, then the edition of this data file (header rule 14)
    assert (referential.id, referential.version) == ("cedre", "2+audit-bench.4")
    assert referential.metadata.issuer == "COORACE"
    assert referential.metadata.edition_date == "2008-05-19"
    assert referential.metadata.validity_years == 3
    assert _in_seed("La certification reçue est valable pour une période de trois ans.")
    assert [(t.id, t.label) for t in referential.siae_types] == [
        ("AI", "Association intermédiaire"),
        ("ETTI", "Entreprise de travail temporaire d'insertion"),
        ("ACI", "Atelier et chantier d'insertion"),
        ("EI", "Entreprise d'insertion"),
        ("ENSEMBLIER", "Ensemblier"),
    ]
