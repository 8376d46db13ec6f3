"""Numbers in requests are bounded: page numbers, ids in file names, form versions.

Issue 12, point 2: ``/verhalen?pagina=9223372036854775807`` answered 500 (an
OverflowError from the database). A list answers a page that cannot exist
with 404; search, which always answers, shows its first or last page.
"""

from __future__ import annotations

import pytest

from archive import search
from archive.models import Episode, Story, db
from archive.views.params import PAGE, WholeNumberParam, whole_number

from .conftest import post_form

#: ``?pagina=`` values no list has: huge, negative, zero, not a number.
HUGE = ["9223372036854775807", "9223372036854775808", "99999999999999999999", "9" * 5000, "100001"]
OUT_OF_RANGE = [
    *HUGE,
    "-1",
    "-9223372036854775809",
    "0",
    "00",
]
NOT_A_NUMBER = ["abc", "1e3", "+1", "1.0", " 1", "1_0", "٣", "１", "0x10", "%00", "1%0d%0a"]
#: The paginated lists of the visitors' site.
LISTS = ["/verhalen", "/podcast"]
SEARCH = ["/zoeken", "/zoeken.json"]


@pytest.mark.parametrize(
    ("text", "minimum", "maximum", "number"),
    [
        ("1", 1, 10, 1),
        ("10", 1, 10, 10),
        ("0010", 1, 10, 10),
        ("11", 1, 10, None),
        ("0", 1, 10, None),
        ("-1", 1, 10, None),
        ("9" * 5000, 1, 10, None),
        ("٣", 1, 10, None),
        ("1_0", 1, 10, None),
        ("+1", 1, 10, None),
        ("", 1, 10, None),
        (None, 1, 10, None),
    ],
)
def test_a_whole_number_is_ascii_digits_within_its_bounds(text, minimum, maximum, number):
    assert whole_number(text, minimum, maximum) == number


@pytest.mark.parametrize(
    ("value", "read", "clamped"),
    [
        (None, 1, 1),
        ("", 1, 1),
        ("3", 3, 3),
        ("0", None, 1),
        ("-4", None, 1),
        ("abc", None, 1),
        ("51", None, 50),
        ("9" * 100, None, 50),
    ],
)
def test_a_parameter_is_read_strictly_or_clamped(value, read, clamped):
    param = WholeNumberParam("pagina", default=1, minimum=1, maximum=50)
    args = {} if value is None else {"pagina": value}
    assert (param.read(args), param.clamped(args)) == (read, clamped)


@pytest.fixture
def long_lists(make_story, make_episode) -> None:
    """Two pages of stories and of episodes."""
    for number in range(12):
        make_story(f"verhaal-{number}", title=f"Verhaal {number}")
        make_episode(f"aflevering-{number}", title=f"Aflevering {number}")


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("page", OUT_OF_RANGE + NOT_A_NUMBER)
def test_a_page_number_no_list_has_is_not_found(client, long_lists, url, page):
    response = client.get(url, query_string={"pagina": page})
    assert response.status_code == 404, page
    assert "Deze pagina bestaat niet" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", LISTS)
def test_the_pages_a_list_has_are_shown_and_the_next_is_not_found(client, long_lists, url):
    assert client.get(url).status_code == 200
    assert client.get(url, query_string={"pagina": ""}).status_code == 200
    assert client.get(url, query_string={"pagina": "1"}).status_code == 200
    assert client.get(url, query_string={"pagina": "02"}).status_code == 200
    assert client.get(url, query_string={"pagina": "3"}).status_code == 404


@pytest.fixture
def searchable(long_lists, ctx) -> None:
    for model in (Story, Episode):
        for item in db.session.query(model):
            assert search.update_item(item)


@pytest.mark.parametrize("url", SEARCH)
@pytest.mark.parametrize("page", OUT_OF_RANGE + NOT_A_NUMBER)
def test_search_answers_any_page_number_with_its_first_or_last_page(client, searchable, url, page):
    response = client.get(url, query_string={"q": "aflevering", "pagina": page})
    assert response.status_code == 200, page
    data = client.get("/zoeken.json", query_string={"q": "aflevering", "pagina": page}).get_json()
    assert data["pages"] == 2
    assert data["page"] == (2 if page in HUGE else 1), page


def test_the_page_parameter_is_capped_far_inside_every_integer():
    assert PAGE.maximum * 100 < 2**31


@pytest.mark.parametrize(
    "name",
    ["99999999999999999999999-x.mp3", "9223372036854775808-x.mp3", "2147483648-x.mp3", "0-x.mp3"],
)
def test_an_audio_name_with_an_id_no_database_holds_is_not_found(client, ctx, name):
    response = client.get(f"/media/{name}")
    assert response.status_code == 404
    assert response.get_data(as_text=True) == "Niet gevonden.\n"


@pytest.mark.parametrize("version", ["²", "٣", "99999999999999999999", "-1", "abc"])
def test_a_form_version_that_is_no_number_is_not_an_error(editor_client, make_story, version):
    story = make_story("offline-halen", title="Offline halen")
    url = f"/beheer/verhalen/{story.id}/offline"
    response = post_form(editor_client, url, {"reason": "verzoek", "version": version})
    assert response.status_code in {302, 409, 422}, response.get_data(as_text=True)[:500]
