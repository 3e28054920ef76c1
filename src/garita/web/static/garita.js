// Progressive enhancement: every page works without this file.
// 1. A location button fills the form's lat/lon from the browser's geolocation and says
//    clearly when the person refused or the device cannot tell.
// 2. Deadlines count down in the person's own clock.
// 3. The person's time zone goes to the server in a cookie, so times show in their clock.
"use strict";
try {
  document.cookie = "garita_tz=" + Intl.DateTimeFormat().resolvedOptions().timeZone +
    "; path=/; max-age=31536000; SameSite=Lax";
} catch (e) { /* the server uses Mexico City's time */ }
// 5. A camera box ([data-camera]) takes a photo with getUserMedia into its file input, so
//    the form sends it like a chosen file (the file input stays as the fallback).
function wireCamera(box) {
  var video = box.querySelector("[data-camera-view]");
  var shot = box.querySelector("[data-camera-shot]");
  var start = box.querySelector("[data-camera-start]");
  var take = box.querySelector("[data-camera-take]");
  var input = box.querySelector("input[type=file]");
  var status = box.querySelector("[role=status]");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.DataTransfer) return;
  start.hidden = false;
  start.addEventListener("click", function () {
    navigator.mediaDevices.getUserMedia({video: {facingMode: "user", width: {ideal: 640},
                                                 height: {ideal: 480}}, audio: false})
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        take.hidden = false;
        return video.play();
      })
      .catch(function (err) {
        status.textContent = err && err.name === "NotAllowedError" ? box.dataset.denied
                                                                  : box.dataset.unavailable;
      });
  });
  take.addEventListener("click", function () {
    if (!video.videoWidth) return;  // the camera has not started yet
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    canvas.toBlob(function (blob) {
      var files = new DataTransfer();
      files.items.add(new File([blob], "photo.jpg", {type: "image/jpeg"}));
      input.files = files.files;
      shot.src = URL.createObjectURL(blob);
      shot.hidden = false;
      status.textContent = box.dataset.taken;
    }, "image/jpeg", 0.9);
  });
}
// 4. htmx refreshes the status card (hx-get ... every 60s); new content is wired once.
function wire(root) {
  root.querySelectorAll("[data-locate]").forEach(function (button) {
    if (button.dataset.wired) return;
    button.dataset.wired = "1";
    var form = button.closest("form");
    var out = document.getElementById(button.getAttribute("aria-controls"));
    var submit = form.querySelector("[type=submit]");
    button.hidden = false;
    if (submit && !form.querySelector("[name=lat]").value) submit.disabled = true;
    button.addEventListener("click", function () {
      if (!navigator.geolocation) { out.textContent = button.dataset.unsupported; return; }
      out.textContent = button.dataset.waiting;
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(5);
        form.querySelector("[name=lon]").value = pos.coords.longitude.toFixed(5);
        out.textContent = button.dataset.found;
        if (submit) submit.disabled = false;
      }, function (err) {
        out.textContent = err.code === 1 ? button.dataset.denied : button.dataset.unavailable;
      }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
    });
  });
  root.querySelectorAll("[data-camera]").forEach(function (box) {
    if (box.dataset.wired) return;
    box.dataset.wired = "1";
    wireCamera(box);
  });
  root.querySelectorAll("[data-deadline]").forEach(function (el) {
    if (el.dataset.wired) return;
    el.dataset.wired = "1";
    // The server's clock decides (the device's may be wrong): count from its "now".
    var end = Date.parse(el.dataset.deadline);
    var skew = Date.parse(el.dataset.now) - Date.now();
    var timer;
    function tick() {
      if (!el.isConnected) { clearInterval(timer); return; }
      var left = Math.max(0, Math.floor((end - Date.now() - skew) / 1000));
      var h = Math.floor(left / 3600), m = Math.floor(left % 3600 / 60), s = left % 60;
      el.textContent = el.dataset.label.replace("{time}",
        h + ":" + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0"));
    }
    tick();
    timer = setInterval(tick, 1000);
  });
}
document.addEventListener("DOMContentLoaded", function () { wire(document); });
document.addEventListener("htmx:load", function (event) { wire(event.detail.elt); });
