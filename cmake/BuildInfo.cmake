# Facts about this build for `rtcal --version` (src/cli/build_info.h): the
# compiler, build type, CMOS ports, sanitizers and linkage (fixed when CMake
# configures), the git commit (or "unknown" outside git) and the build date
# (SOURCE_DATE_EPOCH if set, else the commit's date, else today: so a rebuild
# of the same commit prints the same date).
#
# Included by CMakeLists.txt it writes ${CMAKE_BINARY_DIR}/generated/build_info.cc
# (RTCAL_BUILD_INFO_SOURCE) and adds the target rtcal-build-info, which runs
# this file again in script mode at every build: the file is rewritten only
# when the commit changed, so --version names the commit that was built.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  set(RTCAL_COMPILER "${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
  set(RTCAL_BUILD_TYPE "${CMAKE_BUILD_TYPE}")
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
  set(RTCAL_BUILD_INFO_SOURCE "${CMAKE_BINARY_DIR}/generated/build_info.cc")
  set(RTCAL_GIT_DIR "${CMAKE_SOURCE_DIR}")
endif()
if(NOT RTCAL_GIT_DIR)
  set(RTCAL_GIT_DIR "${CMAKE_CURRENT_LIST_DIR}/..")
endif()

set(RTCAL_GIT_COMMIT "unknown")
set(commit_epoch "")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${RTCAL_GIT_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=12 HEAD
    WORKING_DIRECTORY "${RTCAL_GIT_DIR}" OUTPUT_VARIABLE sha
    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE sha_rc)
  if(sha_rc EQUAL 0 AND sha)
    set(RTCAL_GIT_COMMIT "${sha}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" diff-index --quiet HEAD --
      WORKING_DIRECTORY "${RTCAL_GIT_DIR}" RESULT_VARIABLE dirty ERROR_QUIET)
    if(NOT dirty EQUAL 0)
      string(APPEND RTCAL_GIT_COMMIT "-dirty")
    endif()
    execute_process(COMMAND "${GIT_EXECUTABLE}" log -1 --format=%ct
      WORKING_DIRECTORY "${RTCAL_GIT_DIR}" OUTPUT_VARIABLE commit_epoch
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  endif()
endif()

# RTCAL_BUILD_EPOCH: the commit's date, for the package changelog (empty: now).
set(RTCAL_BUILD_EPOCH "${commit_epoch}")
# string(TIMESTAMP) itself honours SOURCE_DATE_EPOCH; without it use the commit date.
if(NOT DEFINED ENV{SOURCE_DATE_EPOCH} AND commit_epoch MATCHES "^[0-9]+$")
  set(ENV{SOURCE_DATE_EPOCH} "${commit_epoch}")
  string(TIMESTAMP RTCAL_BUILD_DATE "%Y-%m-%d" UTC)
  unset(ENV{SOURCE_DATE_EPOCH})
else()
  string(TIMESTAMP RTCAL_BUILD_DATE "%Y-%m-%d" UTC)
endif()

# configure_file leaves the file alone when its text would not change.
configure_file("${CMAKE_CURRENT_LIST_DIR}/build_info.cc.in" "${RTCAL_BUILD_INFO_SOURCE}" @ONLY)

if(NOT CMAKE_SCRIPT_MODE_FILE)
  add_custom_target(rtcal-build-info
    COMMAND ${CMAKE_COMMAND}
      "-DPROJECT_VERSION=${PROJECT_VERSION}" "-DRTCAL_COMPILER=${RTCAL_COMPILER}"
      "-DRTCAL_BUILD_TYPE=${RTCAL_BUILD_TYPE}" "-DRTCAL_CMOS_PORTS=${RTCAL_CMOS_PORTS}"
      "-DRTCAL_SANITIZER_FLAGS=${RTCAL_SANITIZER_FLAGS}" "-DRTCAL_LINKAGE=${RTCAL_LINKAGE}"
      "-DRTCAL_GIT_DIR=${RTCAL_GIT_DIR}" "-DRTCAL_BUILD_INFO_SOURCE=${RTCAL_BUILD_INFO_SOURCE}"
      -P "${CMAKE_CURRENT_LIST_FILE}"
    BYPRODUCTS "${RTCAL_BUILD_INFO_SOURCE}"
    COMMENT "Checking the git commit for rtcal --version"
    VERBATIM)
endif()
