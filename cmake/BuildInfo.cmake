# Facts about this build for `rtcal --version` (src/build_info.h), fixed at
# configure time: the git commit (or "unknown" outside git), the build date
# (SOURCE_DATE_EPOCH if set, else the commit's date, else today: so a rebuild
# of the same commit prints the same date), CMOS ports, sanitizers, linkage.
# Writes ${CMAKE_BINARY_DIR}/generated/build_info.cc; sets RTCAL_BUILD_INFO_SOURCE.

set(RTCAL_GIT_COMMIT "unknown")
set(commit_epoch "")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${CMAKE_SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=12 HEAD
    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" OUTPUT_VARIABLE sha
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE sha_rc)
  if(sha_rc EQUAL 0 AND sha)
    set(RTCAL_GIT_COMMIT "${sha}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" diff-index --quiet HEAD --
      WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" RESULT_VARIABLE dirty ERROR_QUIET)
    if(NOT dirty EQUAL 0)
      string(APPEND RTCAL_GIT_COMMIT "-dirty")
    endif()
    execute_process(COMMAND "${GIT_EXECUTABLE}" log -1 --format=%ct
      WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" OUTPUT_VARIABLE commit_epoch
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
endif()

# string(TIMESTAMP) itself honours SOURCE_DATE_EPOCH; without it use the commit date.
# RTCAL_BUILD_EPOCH: the commit's date for the package changelog (empty: now).
set(RTCAL_BUILD_EPOCH "${commit_epoch}")
if(NOT DEFINED ENV{SOURCE_DATE_EPOCH} AND commit_epoch MATCHES "^[0-9]+$")
  set(ENV{SOURCE_DATE_EPOCH} "${commit_epoch}")
  string(TIMESTAMP RTCAL_BUILD_DATE "%Y-%m-%d" UTC)
  unset(ENV{SOURCE_DATE_EPOCH})
else()
  string(TIMESTAMP RTCAL_BUILD_DATE "%Y-%m-%d" UTC)
endif()

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|i[3-6]86)$")
  set(RTCAL_CMOS_PORTS "yes")
else()
  set(RTCAL_CMOS_PORTS "no")
endif()
if(RTCAL_SANITIZE)
  set(RTCAL_SANITIZER_FLAGS "-fsanitize=address,undefined")
else()
  set(RTCAL_SANITIZER_FLAGS "none")
endif()
if(RTCAL_STATIC)
  set(RTCAL_LINKAGE "static")
else()
  set(RTCAL_LINKAGE "dynamic")
endif()

# (-DRTCAL_BUILD_INFO_SOURCE=FILE with `cmake -P` writes elsewhere: the tests do.)
if(NOT RTCAL_BUILD_INFO_SOURCE)
  set(RTCAL_BUILD_INFO_SOURCE "${CMAKE_BINARY_DIR}/generated/build_info.cc")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/build_info.cc.in" "${RTCAL_BUILD_INFO_SOURCE}" @ONLY)
