"""Episodes: upload audio, review what the file says, publish, replace audio, withdraw, delete."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, send_from_directory, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ... import editorial
from ...audio import AudioError
from ...models import PERSPECTIVES, Episode, db
from ...storage import UploadTooLarge, media_store
from ...text import TranscriptError, cues_to_vtt, parse_transcript, plain_text_cues
from ..public import render_episode
from . import bp
from .common import (
    campaign_choices,
    content_values,
    delete_page,
    fill_form_from,
    filtered_list,
    form_status,
    save_from_form,
    withdraw_page,
)
from .forms import EpisodeForm, UploadForm, format_chapters
from .statistics import item_numbers


def get_episode(episode_id: int) -> Episode:
    return db.session.get(Episode, episode_id) or abort(404)


@bp.get("/afleveringen")
def episodes() -> str:
    return render_template(
        "beheer/episodes.html", items=filtered_list(Episode), perspectives=PERSPECTIVES
    )


@bp.route("/afleveringen/nieuw", methods=["GET", "POST"])
def episode_upload() -> Response | tuple[str, int]:
    """Step 1: the audio file. The draft episode is filled from the file's tags."""
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.audio.data
        try:
            result = editorial.create_episode(upload.stream, upload.filename or "", current_user)
        except (AudioError, UploadTooLarge, editorial.EditorialError) as error:
            form.audio.errors.append(error.message)
            return render_template("beheer/upload.html", form=form), error.status_code
        flash("Audio ontvangen. Controleer de gegevens en publiceer.")
        for note in result.notes:
            flash(note, "warning")
        return redirect(url_for("editor.episode", episode_id=result.episode.id))
    status = 422 if form.is_submitted() else 200
    return render_template("beheer/upload.html", form=form), status


def episode_form(episode: Episode, **kwargs) -> EpisodeForm:  # type: ignore[no-untyped-def]
    """The form for ``episode``; with ``formdata=None`` the episode as it is now."""
    form = EpisodeForm(obj=episode, **kwargs)
    form.campaign_id.choices = campaign_choices()
    if "formdata" in kwargs or not form.is_submitted():
        fill_form_from(episode, form)
        form.chapters.data = format_chapters(episode.chapters)
        # The current transcript as WebVTT text: one misheard word is one edit.
        form.transcript_text.data = episode.transcript_vtt or ""
    return form


def _normalised(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def transcript_from(form: EpisodeForm, episode: Episode) -> str | None:
    """The WebVTT to store from the upload or the text box; None keeps the current one.

    The text box shows the stored transcript: sent back unchanged it is kept,
    emptied it removes the transcript ("").
    """
    upload = form.transcript_file.data
    if upload and getattr(upload, "filename", ""):
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TranscriptError("Het transcript is geen UTF-8-tekst.", "decode") from None
        kind = "srt" if upload.filename.lower().endswith(".srt") else "vtt"
        return cues_to_vtt(parse_transcript(text, kind))
    pasted = _normalised(form.transcript_text.data)
    if pasted == _normalised(episode.transcript_vtt):
        return None
    if not pasted:
        return ""
    if pasted.startswith("WEBVTT"):
        return cues_to_vtt(parse_transcript(pasted, "vtt"))
    if "-->" in pasted and not pasted.startswith("WEBVTT"):
        try:
            return cues_to_vtt(parse_transcript(pasted, "srt"))
        except TranscriptError:
            pass  # plain text that happens to contain an arrow: said so below, by line
    return cues_to_vtt(plain_text_cues(pasted, episode.duration))


def _values(form: EpisodeForm, transcript: str | None) -> dict:
    values = {
        **content_values(form),
        "show_notes": form.show_notes.data or "",
        "season": form.season.data,
        "number": form.number.data,
        "episode_type": form.episode_type.data or "full",
        "explicit": bool(form.explicit.data),
        "chapters": form.chapters.parsed,
    }
    if transcript is not None:
        values["transcript_vtt"] = transcript or None
        values["clear_transcript"] = transcript == ""
    return values


@bp.route("/afleveringen/<int:episode_id>", methods=["GET", "POST"])
def episode(episode_id: int) -> Response | tuple[str, int]:
    """Step 2: review and correct, then save, publish or schedule."""
    item = get_episode(episode_id)
    form = episode_form(item)
    if form.validate_on_submit():
        try:
            transcript = transcript_from(form, item)
        except TranscriptError as error:
            form.transcript_text.errors.append(error.message)
        else:
            saved = save_from_form(
                "episode",
                episode_id,
                _values(form, transcript),
                form,
                lambda now: episode_form(now, formdata=None),
            )
            if saved is not None:
                if saved.status == "published" and not saved.transcript_vtt:
                    flash("Let op: deze aflevering heeft geen transcript.", "warning")
                flash(f"Aflevering '{saved.title}' opgeslagen.")
                return redirect(url_for("editor.episode", episode_id=saved.id))
    return render_template(
        "beheer/episode.html",
        form=form,
        item=item,
        upload=UploadForm(),
        history=editorial.history(item),
        numbers=item_numbers("aflevering", item.id),
    ), form_status(form)


@bp.post("/afleveringen/<int:episode_id>/audio")
def episode_audio(episode_id: int) -> Response | tuple[str, int]:
    """Replace the audio: new file name, same GUID; the old file goes after the commit."""
    item = get_episode(episode_id)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.audio.data
        try:
            editorial.replace_audio(item.id, upload.stream, upload.filename or "", current_user)
        except (AudioError, UploadTooLarge, editorial.EditorialError) as error:
            return render_template("beheer/error.html", message=error.message), error.status_code
        flash("De audio is vervangen.")
        return redirect(url_for("editor.episode", episode_id=item.id))
    message = " ".join(form.audio.errors) or "Kies een audiobestand."
    return render_template("beheer/error.html", message=message), 422


@bp.get("/afleveringen/<int:episode_id>/voorbeeld")
def episode_preview(episode_id: int) -> str:
    return render_episode(get_episode(episode_id), preview=True)


@bp.get("/afleveringen/<int:episode_id>/omslag")
def episode_artwork_preview(episode_id: int) -> Response:
    """The episode's own cover art, also for a draft (the public URL refuses drafts)."""
    item = get_episode(episode_id)
    if not item.artwork_path:
        abort(404)
    store = media_store()
    return send_from_directory(store.root, store.path(item.artwork_path).name, conditional=True)


@bp.get("/afleveringen/<int:episode_id>/audio")
def episode_audio_preview(episode_id: int) -> Response:
    """Editors can listen to a draft's audio (the public media URL refuses drafts)."""
    item = get_episode(episode_id)
    if not item.audio_path:
        abort(404)
    store = media_store()
    return send_from_directory(
        store.root, store.path(item.audio_path).name, mimetype=item.audio_mime, conditional=True
    )


@bp.route("/afleveringen/<int:episode_id>/offline", methods=["GET", "POST"])
def episode_withdraw(episode_id: int) -> Response | tuple[str, int]:
    return withdraw_page(get_episode(episode_id), url_for("editor.episode", episode_id=episode_id))


@bp.route("/afleveringen/<int:episode_id>/verwijderen", methods=["GET", "POST"])
def episode_delete(episode_id: int) -> Response | tuple[str, int]:
    item = get_episode(episode_id)
    done = f"Aflevering '{item.title}' is verwijderd, met het audiobestand."
    return delete_page(item, done, url_for("editor.episodes"))
