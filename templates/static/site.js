// reply-archive: small enhancements; every page works without this script.
(function () {
  "use strict";
})();
