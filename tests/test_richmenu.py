"""The rich menu (圖文選單): drawn from its data file, deployed by the bot itself, every tile a working feature."""
from __future__ import annotations

import io
import logging

import pytest
from PIL import Image

from bot.cli import main
from bot.config import config_from_env
from bot.richmenu.definition import ALIAS_IDS, contrast_ratio, load_definition
from bot.richmenu.draw import find_cjk_font, font_loader, loader_for, render_png
from tests.helpers import SECRET, TOKEN, Citizen, all_text

SIX = ["常見問題", "預約臨櫃", "我的預約", "查詢進度", "意見反映", "服務資訊"]
SIX_EN = ["FAQ", "Book a visit", "My bookings", "Case status", "Feedback", "Office info"]


# --- the definition and the picture ------------------------------------------------------------
def test_the_menu_is_six_tiles_in_a_3_by_2_grid_covering_2500_by_1686():
    menu = load_definition()
    assert (menu.width, menu.height, menu.columns, menu.rows) == (2500, 1686, 3, 2)
    assert [a.label["zh"] for a in menu.areas] == SIX
    assert [a.label["en"] for a in menu.areas] == SIX_EN
    covered = sum(w * h for _, _, w, h in (a.bounds for a in menu.areas))
    assert covered == 2500 * 1686  # no gap a tap could fall into, no overlap
    assert all(x + w <= 2500 and y + h <= 1686 for x, y, w, h in (a.bounds for a in menu.areas))


def test_each_tile_is_a_postback_shown_in_the_chat_as_its_label():
    menu = load_definition()
    for lang in ("zh", "en"):
        body = menu.request(lang, "huzheng-richmenu-test")
        assert body["chatBarText"] == {"zh": "選單", "en": "Menu"}[lang] and body["selected"] is True
        for area, shown in zip(body["areas"], SIX if lang == "zh" else SIX_EN):
            action = area["action"]
            assert action["type"] == "postback" and action["displayText"] == shown
            assert action["data"].startswith("a=richmenu&k=") and len(action["data"]) <= 300


def test_labels_on_every_tile_have_at_least_4_5_to_1_contrast():
    menu = load_definition()
    assert all(contrast_ratio(a.colour, menu.ink) >= 4.5 for a in menu.areas)
    assert round(contrast_ratio("#06C755", "#FFFFFF"), 2) == 2.26  # LINE green fails, as the issue measured


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_picture_is_a_png_of_the_menu_size_under_1_mb(lang):
    image, content_type = render_png(load_definition(), lang)
    assert content_type == "image/png" and len(image) < 1024 * 1024
    with Image.open(io.BytesIO(image)) as picture:
        assert picture.format == "PNG" and picture.size == (2500, 1686)
        # The tile colour fills each tile's corner region; the label colour is drawn inside it.
        colours = {c for _, c in picture.convert("RGB").getcolors(1 << 20)}
        assert (255, 255, 255) in colours and (0x0B, 0x5C, 0xAD) in colours and (0x12, 0x3A, 0x63) in colours


def test_a_chinese_font_is_found_from_the_setting_or_debians_paths(tmp_path, caplog):
    found = find_cjk_font()
    if found is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk; .ci/run does)")
    assert font_loader()[1] is True
    assert find_cjk_font(found, candidates=()) == found  # RICHMENU_FONT wins
    with caplog.at_level(logging.WARNING):
        assert find_cjk_font(str(tmp_path / "missing.ttf")) == found
    assert "RICHMENU_FONT" in caplog.text


def test_without_any_chinese_font_the_default_font_is_used_with_a_warning(caplog):
    assert find_cjk_font("", candidates=(), fontconfig=False) is None
    with caplog.at_level(logging.WARNING):
        load, has_chinese = loader_for(None)
    assert not has_chinese and load(40) is not None
    assert "fonts-noto-cjk" in caplog.text and "RICHMENU_FONT" in caplog.text


def test_preview_writes_the_picture(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.sqlite3"))
    out = tmp_path / "menu-en.png"
    assert main(["richmenu", "preview", str(out), "--lang", "en"]) == 0
    with Image.open(out) as picture:
        assert picture.size == (2500, 1686)


def test_the_data_api_url_is_a_setting_with_lines_default():
    assert config_from_env({}).line_api_data_base_url == "https://api-data.line.me"
    assert config_from_env({"LINE_API_DATA_BASE_URL": "http://127.0.0.1:9"}).line_api_data_base_url == \
        "http://127.0.0.1:9"


# --- deploying through the fake LINE API --------------------------------------------------------
@pytest.fixture
def deploy_env(monkeypatch, config, fake_line):
    """The environment `python -m bot richmenu deploy` runs in; the data API is the fake under another name."""
    port = fake_line.url.rsplit(":", 1)[1]
    for name, value in {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                        "LINE_API_BASE_URL": fake_line.url, "LINE_API_DATA_BASE_URL": f"http://localhost:{port}",
                        "DATABASE_PATH": config.database_path}.items():
        monkeypatch.setenv(name, value)
    return fake_line


def calls_made(fake, after: int = 0) -> list[tuple[str, str, int]]:
    return [(c.method, c.path, c.status) for c in fake.calls("/richmenu") if c.seq > after]


def test_deploy_creates_both_menus_uploads_pictures_sets_the_default_and_aliases(deploy_env, citizen, capsys):
    fake = deploy_env
    citizen.says("English")  # a citizen who chose English before the first deploy
    start = max(c.seq for c in fake.calls())
    assert main(["richmenu", "deploy"]) == 0
    zh, en = sorted(fake.richmenus.menus)
    assert calls_made(fake, start) == [
        ("POST", "/v2/bot/richmenu/validate", 200),
        ("POST", "/v2/bot/richmenu/validate", 200),
        ("GET", "/v2/bot/richmenu/list", 200),
        ("POST", "/v2/bot/richmenu", 200),
        ("POST", f"/v2/bot/richmenu/{zh}/content", 200),
        ("POST", "/v2/bot/richmenu", 200),
        ("POST", f"/v2/bot/richmenu/{en}/content", 200),
        ("GET", "/v2/bot/richmenu/alias/list", 200),
        ("POST", "/v2/bot/richmenu/alias", 200),
        ("POST", "/v2/bot/richmenu/alias", 200),
        ("POST", f"/v2/bot/user/all/richmenu/{zh}", 200),
        ("POST", "/v2/bot/richmenu/bulk/link", 202),
    ]
    for upload in fake.calls("/content"):
        assert upload.body["contentType"] == "image/png" and upload.body["size"] < 1024 * 1024
        assert (upload.body["width"], upload.body["height"]) == (2500, 1686)
        assert upload.body["host"].startswith("localhost:")  # LINE_API_DATA_BASE_URL, not LINE_API_BASE_URL
    menus = fake.richmenus
    assert menus.menus[zh]["chatBarText"] == "選單" and menus.menus[en]["chatBarText"] == "Menu"
    assert menus.default == zh
    assert menus.aliases == {ALIAS_IDS["zh"]: zh, ALIAS_IDS["en"]: en}
    assert menus.menu_for(citizen.user_id)["richMenuId"] == en
    assert menus.menu_for("Usomeoneelse")["richMenuId"] == zh
    assert f"default: {zh}" in capsys.readouterr().out


def test_deploying_again_replaces_the_menus_and_deletes_the_old_ones(deploy_env, citizen):
    fake = deploy_env
    citizen.says("English")
    assert main(["richmenu", "deploy"]) == 0
    old = sorted(fake.richmenus.menus)
    start = max(c.seq for c in fake.calls())
    assert main(["richmenu", "deploy"]) == 0
    new_zh, new_en = sorted(set(fake.richmenus.menus) - set(old))
    assert sorted(fake.richmenus.menus) == [new_zh, new_en]
    made = calls_made(fake, start)
    assert made[-6:] == [
        ("POST", f"/v2/bot/richmenu/alias/{ALIAS_IDS['zh']}", 200),
        ("POST", f"/v2/bot/richmenu/alias/{ALIAS_IDS['en']}", 200),
        ("POST", f"/v2/bot/user/all/richmenu/{new_zh}", 200),
        ("POST", "/v2/bot/richmenu/bulk/link", 202),
        ("DELETE", f"/v2/bot/richmenu/{old[0]}", 200),
        ("DELETE", f"/v2/bot/richmenu/{old[1]}", 200),
    ]
    assert fake.richmenus.default == new_zh
    assert fake.richmenus.menu_for(citizen.user_id)["richMenuId"] == new_en


def test_menus_someone_else_made_are_left_alone(deploy_env):
    fake = deploy_env
    theirs = fake.richmenus._create({**load_definition().request("zh", "campaign-2026"), "name": "campaign-2026"})
    assert main(["richmenu", "deploy"]) == 0
    assert theirs[1]["richMenuId"] in fake.richmenus.menus


def test_a_failed_upload_keeps_the_old_menus_and_removes_the_half_made_one(deploy_env, monkeypatch, capsys):
    fake = deploy_env
    assert main(["richmenu", "deploy"]) == 0
    before = dict(fake.richmenus.menus)
    monkeypatch.setenv("LINE_API_DATA_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    assert main(["richmenu", "deploy"]) == 1
    assert "could not upload the zh picture" in capsys.readouterr().err
    assert fake.richmenus.menus.keys() == before.keys()
    assert fake.richmenus.default in before


def test_deploy_needs_the_channel_access_token(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("LINE_CHANNEL_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "bot.sqlite3"))
    assert main(["richmenu", "deploy"]) == 2
    assert "LINE_CHANNEL_ACCESS_TOKEN" in capsys.readouterr().err


# --- choosing a language moves the citizen to that language's menu ------------------------------
def test_choosing_english_links_the_english_menu_after_the_reply(deploy_env, citizen):
    fake = deploy_env
    assert main(["richmenu", "deploy"]) == 0
    en = fake.richmenus.aliases[ALIAS_IDS["en"]]
    start = max(c.seq for c in fake.calls())
    assert "Switched to English." in all_text(citizen.says("English"))
    after = [(c.method, c.path) for c in fake.calls() if c.seq > start]
    assert after == [("POST", "/v2/bot/message/reply"),
                     ("GET", f"/v2/bot/richmenu/alias/{ALIAS_IDS['en']}"),
                     ("POST", f"/v2/bot/user/{citizen.user_id}/richmenu/{en}")]
    assert fake.richmenus.menu_for(citizen.user_id)["richMenuId"] == en
    citizen.says("中文")
    assert fake.richmenus.menu_for(citizen.user_id)["richMenuId"] == fake.richmenus.default


def test_a_failing_menu_link_never_costs_the_citizen_the_answer(citizen, fake_line):
    """No menu deployed yet (the alias is unknown): the language still changes and the reply goes out."""
    assert "Switched to English." in all_text(citizen.says("English"))
    assert [c.status for c in fake_line.calls("/richmenu/alias/")] == [404]
    assert "How can I help?" in all_text(citizen.says("Menu"))


# --- every tile through the signed webhook ------------------------------------------------------
def replies_to_tap_and_to_typing(client, fake, user_id: str, lang: str):
    for area in load_definition().areas:
        tapper, typist = Citizen(client, fake, user_id + "a" + area.key), Citizen(client, fake, user_id + "b" + area.key)
        for someone in (tapper, typist):
            if lang == "en":
                someone.says("English")
        yield area, tapper.taps(area.action(lang)["data"]), typist.says(area.label[lang])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_tile_opens_the_same_feature_as_its_main_menu_button(client, fake_line, lang):
    seen = set()
    for area, tapped, typed in replies_to_tap_and_to_typing(client, fake_line, "Utile", lang):
        assert tapped and all_text(tapped) == all_text(typed), area.key
        assert "無法使用" not in all_text(tapped) and "no longer available" not in all_text(tapped)
        seen.add(all_text(tapped))
    assert len(seen) == 6  # six different features


def test_a_tile_works_in_the_middle_of_another_flow(citizen):
    citizen.says("查詢進度")  # the bot now waits for a case number
    replies = citizen.taps("a=richmenu&k=booking")
    typed_fresh = Citizen(citizen.client, citizen.fake, "U" + "f0" * 16).says("預約臨櫃")
    assert all_text(replies) == all_text(typed_fresh)


def test_an_unknown_tile_gets_a_polite_answer(citizen):
    assert "這個按鈕目前無法使用" in all_text(citizen.taps("a=richmenu&k=nothing"))
