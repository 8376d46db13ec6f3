"""Uploading, reviewing, publishing, replacing and deleting episodes in /beheer."""

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.models import AuditEvent, Episode, db

from .conftest import csrf_token, post_form

ROOT = Path(__file__).resolve().parents[2]
DEMO_MP3 = ROOT / "archive" / "demo" / "episodes" / "01-signalen-zien.mp3"
OTHER_MP3 = ROOT / "archive" / "demo" / "episodes" / "03-buren.mp3"
UPLOAD = "/beheer/afleveringen/nieuw"


def upload(client, path_or_bytes, name="aflevering.mp3", url=UPLOAD):
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    token = csrf_token(client, UPLOAD)
    return client.post(
        url,
        data={"csrf_token": token, "audio": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def media_files(app) -> list[str]:
    return sorted(p.name for p in Path(app.config["MEDIA_DIR"]).iterdir())


def only_episode() -> Episode:
    db.session.expire_all()
    return db.session.scalars(select(Episode)).one()


def episode_data(episode: Episode, **overrides) -> dict:
    data = {
        "title": episode.title,
        "slug": episode.slug,
        "summary": episode.summary,
        "show_notes": "Notities",
        "season": "1",
        "number": "4",
        "episode_type": "full",
        "perspective": "",
        "tags": "",
        "campaign_id": "0",
        "content_note": "",
        "chapters": "",
        "transcript_text": "",
        "publication": "draft",
        "scheduled_at": "",
        "embargo_until": "",
        "save": "Opslaan",
    }
    return {**data, **overrides}


def test_upload_creates_a_draft_filled_from_the_file(editor_client, show, app):
    response = upload(editor_client, DEMO_MP3, "signalen.mp3")
    assert response.status_code == 302, response.get_data(as_text=True)
    episode = only_episode()
    assert episode.status == "draft"
    assert episode.title == "Signalen zien in de klas"  # from the ID3 title
    assert episode.number == 1  # from the ID3 track number
    assert episode.audio_mime == "audio/mpeg"
    assert episode.audio_size == DEMO_MP3.stat().st_size
    assert 40 < episode.duration < 45
    assert [c["title"] for c in episode.chapters] == ["Welkom", "Wat de juf zag", "De meldcode"]
    assert episode.audio_path in media_files(app)
    assert episode.audio_path.startswith(f"{episode.id}-")
    page = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="Signalen zien in de klas"' in page
    assert "0:42" in page or "0:43" in page  # the duration is shown
    assert "geen transcript" in page
    # The demo's embedded cover is 300 px: too small for directories, and the editor is told.
    assert "omslag uit het bestand niet gebruikt" in page
    assert episode.artwork_path is None


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Dit is gewoon tekst, geen audio.\n" * 20, "tekst.mp3", "geen audiobestand"),
        (b"", "leeg.mp3", "leeg"),
        (bytes(range(256)) * 64, "ruis.mp3", ""),
    ],
)
def test_non_audio_upload_is_refused_in_dutch_and_leaves_nothing(
    editor_client, show, app, content, name, message
):
    before = media_files(app)
    response = upload(editor_client, content, name)
    assert response.status_code in (400, 415, 422)
    page = response.get_data(as_text=True).lower()
    assert message in page
    assert 'class="error"' in page
    assert db.session.scalar(select(func.count(Episode.id))) == 0
    assert media_files(app) == before


def test_oversized_upload_is_refused_with_413_and_leaves_nothing(app, editor_client, show):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    before = media_files(app)
    response = upload(editor_client, DEMO_MP3)
    assert response.status_code == 413
    assert "groter dan de limiet" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Episode.id))) == 0
    assert media_files(app) == before


def test_review_form_saves_corrections_transcript_and_chapters(editor_client, show):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    url = f"/beheer/afleveringen/{episode.id}"
    transcript = (DEMO_MP3.with_suffix(".vtt")).read_text()
    response = post_form(
        editor_client,
        url,
        episode_data(
            episode,
            title="Gecorrigeerde titel",
            chapters="00:00 Begin\n00:12 Midden | https://example.org/meldcode",
            transcript_text=transcript,
            publication="now",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    episode = only_episode()
    assert episode.title == "Gecorrigeerde titel"
    assert episode.is_public
    assert episode.chapters == [
        {"start": 0.0, "title": "Begin", "url": None},
        {"start": 12.0, "title": "Midden", "url": "https://example.org/meldcode"},
    ]
    assert episode.transcript_vtt.startswith("WEBVTT")
    assert "Welkom bij Dichterbij" in episode.transcript_vtt


def test_upload_with_a_long_file_name_gets_a_draft(editor_client, show):
    response = upload(editor_client, DEMO_MP3, name=f"{'lang-' * 48}.mp3")
    assert response.status_code == 302
    assert len(only_episode().title) <= 200


def test_srt_transcript_upload_is_converted(editor_client, show):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    srt = "1\n00:00:01,000 --> 00:00:03,500\nHallo allemaal\n"
    data = episode_data(episode)
    data["transcript_file"] = (io.BytesIO(srt.encode()), "ondertitels.srt")
    data["csrf_token"] = csrf_token(editor_client, f"/beheer/afleveringen/{episode.id}")
    response = editor_client.post(
        f"/beheer/afleveringen/{episode.id}", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert "00:00:01.000 --> 00:00:03.500" in only_episode().transcript_vtt


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("transcript_text", "WEBVTT\n\nrommel zonder tijden -->\n", "geen geldig WebVTT"),
        ("chapters", "hoofdstuk zonder tijd", "Regel 1 is geen hoofdstuk"),
        ("chapters", "01:75 Te veel seconden", "de tijd bestaat niet"),
        ("chapters", "00:10 Titel | javascript:alert(1)", "https://"),
        ("number", "-3", "Tussen 0 en 99999"),
        ("number", "99999999999", "Tussen 0 en 99999"),
        ("season", "100000", "Tussen 1 en 99999"),
    ],
)
def test_malformed_transcript_or_chapters_are_refused(editor_client, show, field, value, message):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    before = (episode.title, episode.chapters, episode.transcript_vtt)
    response = post_form(
        editor_client,
        f"/beheer/afleveringen/{episode.id}",
        episode_data(episode, title="Mag niet bewaard worden", **{field: value}),
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    episode = only_episode()
    assert (episode.title, episode.chapters, episode.transcript_vtt) == before


def test_replacing_audio_keeps_guid_and_changes_file_name(editor_client, show, app):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    guid, old_name = episode.guid, episode.audio_path
    token = csrf_token(editor_client, f"/beheer/afleveringen/{episode.id}")
    response = editor_client.post(
        f"/beheer/afleveringen/{episode.id}/audio",
        data={"csrf_token": token, "audio": (io.BytesIO(OTHER_MP3.read_bytes()), "b.mp3")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    episode = only_episode()
    assert episode.guid == guid
    assert episode.audio_path != old_name
    assert episode.audio_size == OTHER_MP3.stat().st_size
    assert media_files(app) == [episode.audio_path]
    assert "audio_replaced" in db.session.scalars(select(AuditEvent.action)).all()


def test_replacing_with_a_bad_file_keeps_the_old_audio(editor_client, show, app):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    token = csrf_token(editor_client, f"/beheer/afleveringen/{episode.id}")
    response = editor_client.post(
        f"/beheer/afleveringen/{episode.id}/audio",
        data={"csrf_token": token, "audio": (io.BytesIO(b"geen audio" * 100), "x.mp3")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert media_files(app) == [only_episode().audio_path]


def test_delete_removes_the_audio_file(editor_client, show, app):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    response = post_form(
        editor_client, f"/beheer/afleveringen/{episode.id}/verwijderen", {"confirm": "y"}
    )
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Episode.id))) == 0
    assert media_files(app) == []


def test_editors_can_listen_to_a_draft_but_the_public_cannot(editor_client, client, show):
    upload(editor_client, DEMO_MP3)
    episode = only_episode()
    # Closed as a WSGI server would close it (the test client leaves the file open).
    with editor_client.get(
        f"/beheer/afleveringen/{episode.id}/audio", headers={"Range": "bytes=0-9"}
    ) as own:
        assert own.status_code == 206 and len(own.data) == 10
    assert client.get(f"/media/{episode.audio_path}").status_code == 404


def test_embedded_cover_is_kept_and_shown_to_editors_only_while_a_draft(
    editor_client, client, show, app
):
    cover_mp3 = ROOT / "tests" / "fixtures" / "audio" / "cover-chapters.mp3"
    response = upload(editor_client, cover_mp3, "met-omslag.mp3")
    assert response.status_code == 302
    episode = only_episode()
    assert episode.artwork_path and episode.artwork_path in media_files(app)
    page = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    preview_url = f"/beheer/afleveringen/{episode.id}/omslag"
    assert f'src="{preview_url}"' in page
    with editor_client.get(preview_url) as cover:
        assert cover.status_code == 200 and cover.mimetype == "image/jpeg"
    assert client.get(f"/afbeeldingen/{episode.artwork_path}").status_code == 404
