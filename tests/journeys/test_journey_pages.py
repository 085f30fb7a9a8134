"""The FAQ page ends with what to do next; a site with few trials lists them before the search."""

from tests.conftest import NCT


def test_faq_page_carries_both_actions(client, lang):
    page = client.get(f"/{lang}/trials/{NCT}/faq").get_data(as_text=True)
    actions = page[page.index('class="actions faq-actions"') :]
    assert f'href="/{lang}/trials/{NCT}/prescreen"' in actions
    assert f'href="/{lang}/trials/{NCT}/contact"' in actions


def test_few_trials_are_listed_above_the_search_form(client):
    page = client.get("/es/").get_data(as_text=True)
    assert f'href="/es/trials/{NCT}/"' in page
    assert page.index(f'href="/es/trials/{NCT}/"') < page.index('<form class="search"')
    assert "Todos los ensayos de este sitio web: 1" in page


def test_a_search_shows_its_results_below_the_form(client):
    page = client.get("/es/?q=leucemia").get_data(as_text=True)
    assert page.index('<form class="search"') < page.index(f'href="/es/trials/{NCT}/')


def test_the_language_switcher_keeps_the_query_of_a_page_read_by_its_address(client):
    page = client.get("/es/?q=leucemia&age=9").get_data(as_text=True)
    assert 'href="/ar/?q=leucemia&amp;age=9"' in page


def test_a_hostile_query_is_kept_as_text_never_as_an_order(client):
    response = client.get("/es/?_external=1&_scheme=javascript&_anchor=x&lang=xx")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "javascript" not in body.split("<main")[0]
    assert 'href="/ar/?lang=' not in body


def test_a_form_page_kept_for_everyone_carries_no_visitor_query(client):
    client.get(f"/es/trials/{NCT}/contact?near=poisoned")
    page = client.get(f"/es/trials/{NCT}/contact").get_data(as_text=True)
    assert "poisoned" not in page
    first = client.get(f"/es/trials/{NCT}/prescreen?near=poisoned").get_data(as_text=True)
    assert "poisoned" not in first


def test_the_result_keeps_its_place_in_another_language(client, app):
    from tests.prescreen.test_prescreen_engine import passing_answers
    from tests.prescreen_support import put_state

    put_state(client, app, passing_answers())
    page = client.get(f"/es/trials/{NCT}/prescreen/result?near=28046").get_data(as_text=True)
    assert f'href="/ar/trials/{NCT}/prescreen/result?near=28046"' in page
