# The Debian package, built by CPack's DEB generator: `cmake --build build
# --target package` writes build/rtcal_<version>_<arch>.deb. The package
# installs into /usr whatever CMAKE_INSTALL_PREFIX the build was configured
# with (CPack installs again with DESTDIR and the prefix /usr; the install
# rules decide /etc and the links' paths at install time). Dependencies come
# from dpkg-shlibdeps; the files it puts under /etc are conffiles.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "rtcal")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "rtcal maintainers <rtcal@example.org>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "keep the hardware real-time clock right (hwclock replacement)")
# The extended description (CPack puts the summary above it as the synopsis;
# one string: a list would be joined with ';').
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "rtcal reads and sets the battery-backed RTC to the millisecond, keeps
/etc/adjtime byte-compatible with util-linux hwclock, records measurements
of the RTC's error against NTP or another reference, and computes the drift
correction factor, as the Clock mini-HOWTO taught by hand. It can also run
as a drop-in hwclock or clock(8).")
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/rtcal")
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX "/usr")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_THREADS 2)

# conffiles: every file the package installs under /etc.
set(conffiles "")
if(EXISTS "${CMAKE_SOURCE_DIR}/dist/init.d/rtcal")
  string(APPEND conffiles "/etc/init.d/rtcal\n")
endif()
if(conffiles)
  file(WRITE "${CMAKE_BINARY_DIR}/generated/deb/conffiles" "${conffiles}")
  set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA "${CMAKE_BINARY_DIR}/generated/deb/conffiles")
endif()
# The package's documentation: a Debian changelog (dated as the build, see
# cmake/BuildInfo.cmake) and the copyright file, compressed reproducibly.
if(DEFINED ENV{SOURCE_DATE_EPOCH})
  string(TIMESTAMP RTCAL_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
else()
  set(ENV{SOURCE_DATE_EPOCH} "${RTCAL_BUILD_EPOCH}")
  string(TIMESTAMP RTCAL_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
  unset(ENV{SOURCE_DATE_EPOCH})
endif()
configure_file("${CMAKE_SOURCE_DIR}/cmake/deb/changelog.in" "${CMAKE_BINARY_DIR}/generated/deb/changelog" @ONLY)
add_custom_command(
  OUTPUT "${CMAKE_BINARY_DIR}/generated/deb/changelog.gz"
  COMMAND gzip -9 -n -f -k "${CMAKE_BINARY_DIR}/generated/deb/changelog"
  DEPENDS "${CMAKE_BINARY_DIR}/generated/deb/changelog"
  VERBATIM)
add_custom_target(rtcal-deb-docs ALL DEPENDS "${CMAKE_BINARY_DIR}/generated/deb/changelog.gz")
install(FILES "${CMAKE_BINARY_DIR}/generated/deb/changelog.gz" "${CMAKE_SOURCE_DIR}/cmake/deb/copyright"
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
include(CPack)
