// The staff consoles' QR scanner: the device camera (getUserMedia) frame by frame through
// jsQR (npm, served from node_modules). A [data-scanner] box names the input it fills
// (data-target); on a read it fills it and sends the form. Typing the code always works.
"use strict";
(function () {
  function start(box) {
    var input = document.getElementById(box.dataset.target);
    var video = box.querySelector("video");
    var status = box.querySelector("[role=status]");
    var canvas = document.createElement("canvas");
    var context = canvas.getContext("2d", {willReadFrequently: true});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        status.textContent = box.dataset.looking;
        return video.play().then(function () { look(stream); });
      })
      .catch(function (err) {
        status.textContent = err && err.name === "NotAllowedError" ? box.dataset.denied
                                                                  : box.dataset.unavailable;
      });
    function look(stream) {
      if (video.readyState >= 2 && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        var frame = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(frame.data, frame.width, frame.height,
                               {inversionAttempts: "dontInvert"});
        if (code && code.data) {
          stream.getTracks().forEach(function (t) { t.stop(); });
          input.value = code.data;
          status.textContent = box.dataset.found;
          input.form.requestSubmit();
          return;
        }
      }
      requestAnimationFrame(function () { look(stream); });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-scanner]").forEach(function (box) {
      var button = box.querySelector("button");
      if (!window.jsQR || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
      button.hidden = false;
      button.addEventListener("click", function () { button.disabled = true; start(box); });
    });
  });
})();
