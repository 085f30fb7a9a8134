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
