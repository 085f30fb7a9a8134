// Contact form: an opt-in "use my location" button. Without JavaScript, or when the visitor
// declines, the postal code and town are used instead; nothing is sent until the form is.
(function () {
  "use strict";
  var box = document.getElementById("locate");
  var button = document.getElementById("locate-button");
  var status = document.getElementById("locate-status");
  var lat = document.getElementById("lat");
  var lon = document.getElementById("lon");
  if (!box || !button || !status || !lat || !lon || !("geolocation" in navigator)) {
    return;
  }
  box.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        // Two decimals are about a kilometre: enough to find the nearest hospital.
        lat.value = position.coords.latitude.toFixed(2);
        lon.value = position.coords.longitude.toFixed(2);
        status.textContent = status.dataset.done;
        button.disabled = false;
      },
      function () {
        lat.value = "";
        lon.value = "";
        status.textContent = status.dataset.failed;
        button.disabled = false;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  });
})();
