"""Episodes: upload audio, review what the file says, publish, replace audio, withdraw, delete."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from ... import editorial
from ...audio import AudioError
from ...models import PERSPECTIVES, Episode, Show, db, suggest_slug, utcnow
from ...storage import UploadTooLarge, media_store
from ...text import Cue, TranscriptError, cues_to_vtt, parse_transcript
from . import bp
from .common import (
    apply_content,
    campaign_choices,
    commit_with_publication,
    delete_page,
    fill_form_from,
    filtered_list,
    has_errors,
    withdraw_page,
)
from .forms import EpisodeForm, UploadForm, format_chapters


def get_episode(episode_id: int) -> Episode:
    return db.session.get(Episode, episode_id) or abort(404)


@bp.get("/afleveringen")
def episodes() -> str:
    return render_template(
        "beheer/episodes.html", items=filtered_list(Episode), perspectives=PERSPECTIVES
    )


def _default_show() -> Show:
    show = Show.default()
    if show is None:
        raise editorial.EditorialError(
            "Er is nog geen podcast. Laad de demo of maak eerst een podcast aan."
        )
    return show


@bp.route("/afleveringen/nieuw", methods=["GET", "POST"])
def episode_upload() -> Response | tuple[str, int]:
    """Step 1: the audio file. The draft episode is filled from the file's tags."""
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.audio.data
        stem = Path(upload.filename or "aflevering").stem[:200]  # Episode.title's length
        episode = Episode(show=_default_show(), title=stem, slug=suggest_slug(Episode, stem))
        db.session.add(episode)
        try:
            db.session.flush()  # the id goes into the file name
            notes = editorial.attach_new_audio(episode, upload.stream)
            episode.slug = suggest_slug(Episode, episode.title, episode.id)
            editorial.save(episode, current_user, "created", upload.filename or "")
        except (AudioError, UploadTooLarge) as error:
            db.session.rollback()
            form.audio.errors.append(error.message)
            return render_template("beheer/upload.html", form=form), error.status_code
        flash("Audio ontvangen. Controleer de gegevens en publiceer.")
        for note in notes:
            flash(note, "warning")
        return redirect(url_for("editor.episode", episode_id=episode.id))
    status = 422 if form.is_submitted() else 200
    return render_template("beheer/upload.html", form=form), status


def _episode_form(episode: Episode) -> EpisodeForm:
    form = EpisodeForm(obj=episode)
    form.campaign_id.choices = campaign_choices()
    if not form.is_submitted():
        fill_form_from(episode, form)
        form.chapters.data = format_chapters(episode.chapters)
    return form


def _transcript(form: EpisodeForm, episode: Episode) -> str | None:
    """The WebVTT to store from the upload or the pasted text; None keeps the current one."""
    upload = form.transcript_file.data
    if upload and getattr(upload, "filename", ""):
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TranscriptError("Het transcript is geen UTF-8-tekst.", "decode") from None
        kind = "srt" if upload.filename.lower().endswith(".srt") else "vtt"
        return cues_to_vtt(parse_transcript(text, kind))
    pasted = (form.transcript_text.data or "").strip()
    if not pasted:
        return None
    if pasted.startswith("WEBVTT"):
        return cues_to_vtt(parse_transcript(pasted, "vtt"))
    if "-->" in pasted:
        return cues_to_vtt(parse_transcript(pasted, "srt"))
    # Plain text has no times: one cue over the whole episode.
    return cues_to_vtt([Cue(0.0, float(episode.duration or 0), pasted)])


@bp.route("/afleveringen/<int:episode_id>", methods=["GET", "POST"])
def episode(episode_id: int) -> Response | tuple[str, int]:
    """Step 2: review and correct, then save, publish or schedule."""
    item = get_episode(episode_id)
    form = _episode_form(item)
    if form.validate_on_submit():
        with db.session.no_autoflush:
            ok = apply_content(item, form)
        try:
            transcript = _transcript(form, item) if ok else None
        except TranscriptError as error:
            form.transcript_file.errors.append(error.message)
            ok = False
        if ok:
            item.show_notes = form.show_notes.data or ""
            item.season = form.season.data
            item.number = form.number.data
            item.episode_type = form.episode_type.data or "full"
            item.explicit = bool(form.explicit.data)
            item.chapters = form.chapters.parsed
            if transcript is not None:
                item.transcript_vtt = transcript
            try:
                commit_with_publication(item, form, current_user, created=False)
            except editorial.EditorialError as error:
                db.session.rollback()
                form.publication.errors.append(error.message)
            else:
                if item.status == "published" and not item.transcript_vtt:
                    flash("Let op: deze aflevering heeft geen transcript.", "warning")
                flash(f"Aflevering '{item.title}' opgeslagen.")
                return redirect(url_for("editor.episode", episode_id=item.id))
        else:
            db.session.rollback()
            db.session.refresh(item)
    status = 422 if has_errors(form) else 200
    return render_template(
        "beheer/episode.html",
        form=form,
        item=item,
        upload=UploadForm(),
        history=editorial.history(item),
        now=utcnow(),
    ), status


@bp.post("/afleveringen/<int:episode_id>/audio")
def episode_audio(episode_id: int) -> Response | tuple[str, int]:
    """Replace the audio: new file name, same GUID; the old file goes after the commit."""
    item = get_episode(episode_id)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            editorial.replace_audio(
                item, current_user, form.audio.data.stream, form.audio.data.filename or ""
            )
        except (AudioError, UploadTooLarge) as error:
            db.session.rollback()
            return render_template("beheer/error.html", message=error.message), error.status_code
        flash("De audio is vervangen.")
        return redirect(url_for("editor.episode", episode_id=item.id))
    message = " ".join(form.audio.errors) or "Kies een audiobestand."
    return render_template("beheer/error.html", message=message), 422


@bp.get("/afleveringen/<int:episode_id>/voorbeeld")
def episode_preview(episode_id: int) -> str:
    from ..public import render_episode

    return render_episode(get_episode(episode_id), preview=True)


@bp.get("/afleveringen/<int:episode_id>/omslag")
def episode_artwork_preview(episode_id: int) -> Response:
    """The episode's own cover art, also for a draft (the public URL refuses drafts)."""
    from flask import send_from_directory

    item = get_episode(episode_id)
    if not item.artwork_path:
        abort(404)
    store = media_store()
    return send_from_directory(store.root, store.path(item.artwork_path).name, conditional=True)


@bp.get("/afleveringen/<int:episode_id>/audio")
def episode_audio_preview(episode_id: int) -> Response:
    """Editors can listen to a draft's audio (the public media URL refuses drafts)."""
    from flask import send_from_directory

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
