// The image library's focal point: a click on the picture sets the two fields below it
// (as fractions of the width and height) and moves the marker. Without JavaScript the
// fields are typed in.
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-picker");
  const across = document.getElementById("id_focal_x");
  const down = document.getElementById("id_focal_y");
  if (!picker || !across || !down) return;
  const marker = picker.querySelector(".focal-marker");
  const place = (x, y) => {
    marker.style.left = `${x * 100}%`;
    marker.style.top = `${y * 100}%`;
    marker.hidden = false;
  };
  place(Number(picker.dataset.x), Number(picker.dataset.y));
  picker.querySelector("img").addEventListener("click", (event) => {
    const box = event.target.getBoundingClientRect();
    const x = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    const y = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
    across.value = x.toFixed(3);
    down.value = y.toFixed(3);
    place(x, y);
  });
  for (const field of [across, down]) {
    field.addEventListener("input", () => place(Number(across.value), Number(down.value)));
  }
});
