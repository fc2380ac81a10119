// Respondent pages: a light touch over forms that work without JavaScript.
// A form being sent says so to assistive technology; a retry stays possible (the server
// makes a second submission of the same answers harmless).
document.addEventListener("submit", function (event) {
  var form = event.target;
  form.setAttribute("aria-busy", "true");
  setTimeout(function () { form.removeAttribute("aria-busy"); }, 8000);
});
